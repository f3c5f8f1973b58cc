// The engine's openssl: the few OpenSSL commands Berth's scripts run (remote-access makes
// the Docker API's CA and certificates at boot and checks the certificates and keys a stick
// brings for registries), `openssl verify` against the system's CAs, and the `s_client
// -quiet` busybox's wget runs for https:// (openssl_sclient.go), done with Go's
// crypto/x509, which the engine links already. The image then needs neither OpenSSL's
// program nor libssl. Each command takes exactly the options written below; anything else
// is refused in one line that says where OpenSSL's own program is ([engine] build =
// "debian" ships it), never ignored.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Certificates and keys are a few KiB; a larger file is refused before it is parsed.
const opensslMaxFile = 1 << 20

const opensslElsewhere = "Berth's openssl has req -x509, x509 -noout, pkey -noout, verify, " +
	"s_client -quiet and version; OpenSSL's own program comes with [engine] build = \"debian\""

func opensslProgram() {
	os.Exit(opensslMain(os.Args[1:], os.Stdout, os.Stderr))
}

func opensslMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: openssl req|x509|pkey|verify|s_client|version ...; "+opensslElsewhere)
		return 1
	}
	var err error
	switch args[0] {
	case "version":
		fmt.Fprintf(stdout, "openssl (Berth engine, Go %s)\n", runtime.Version())
		return 0
	case "req":
		err = opensslReq(args[1:])
	case "x509":
		err = opensslX509(args[1:])
	case "pkey":
		err = opensslPkey(args[1:])
	case "verify":
		return opensslVerify(args[1:], stdout, stderr)
	case "s_client":
		return opensslSClient(args[1:], os.Stdin, stdout, stderr)
	default:
		err = opensslUsage("not a command of Berth's openssl")
	}
	if err != nil {
		opensslSay(stderr, "openssl "+args[0], err)
		return 1
	}
	return 0
}

// opensslUsageError: a command or option Berth's openssl does not have (not a bad file).
type opensslUsageError struct{ error }

func opensslUsage(format string, args ...any) error {
	return opensslUsageError{fmt.Errorf(format, args...)}
}

// opensslSay: the error in one line; one about usage says where OpenSSL's program is.
func opensslSay(stderr io.Writer, what string, err error) {
	var usage opensslUsageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "%s: %v (%s)\n", what, err, opensslElsewhere)
		return
	}
	fmt.Fprintf(stderr, "%s: %v\n", what, err)
}

// opensslOptions: the options of one command as OpenSSL spells them (one dash). `values`
// names the options that take a value, `flags` those that do not; -addext may repeat.
type opensslOptions struct {
	values   map[string]string
	flags    map[string]bool
	addext   []string
	operands []string
}

func opensslParse(args []string, values, flags []string, operands bool) (opensslOptions, error) {
	opts := opensslOptions{values: map[string]string{}, flags: map[string]bool{}}
	takes := map[string]bool{}
	for _, name := range values {
		takes[name] = true
	}
	known := map[string]bool{}
	for _, name := range flags {
		known[name] = true
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case takes[arg]:
			if i+1 == len(args) {
				return opts, opensslUsage("%s needs a value", arg)
			}
			i++
			if arg == "-addext" {
				opts.addext = append(opts.addext, args[i])
			} else if _, twice := opts.values[arg]; twice {
				return opts, opensslUsage("%s given twice", arg)
			} else {
				opts.values[arg] = args[i]
			}
		case known[arg]:
			opts.flags[arg] = true
		case operands && !strings.HasPrefix(arg, "-"):
			opts.operands = append(opts.operands, arg)
		default:
			return opts, opensslUsage("%s: not an option Berth's openssl takes here", arg)
		}
	}
	return opts, nil
}

// opensslPEM: the blocks of a PEM file, read up to opensslMaxFile bytes.
func opensslPEM(file string) ([]*pem.Block, error) {
	in, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	data, err := io.ReadAll(io.LimitReader(in, opensslMaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > opensslMaxFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", file, opensslMaxFile)
	}
	var blocks []*pem.Block
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return blocks, nil
		}
		blocks = append(blocks, block)
	}
}

// opensslCertificate: the first certificate of a PEM file (OpenSSL skips other blocks).
func opensslCertificate(file string) (*x509.Certificate, error) {
	blocks, err := opensslPEM(file)
	if err != nil {
		return nil, err
	}
	for _, block := range blocks {
		if block.Type == "CERTIFICATE" {
			return x509.ParseCertificate(block.Bytes)
		}
	}
	return nil, fmt.Errorf("%s: no PEM certificate", file)
}

// opensslPrivateKey: the first private key of a PEM file, PKCS#8 or the older EC and RSA
// forms; an encrypted key is refused (no passphrase is ever asked for).
func opensslPrivateKey(file string) (crypto.Signer, error) {
	blocks, err := opensslPEM(file)
	if err != nil {
		return nil, err
	}
	for _, block := range blocks {
		if block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "" {
			return nil, fmt.Errorf("%s: an encrypted private key", file)
		}
		var key any
		switch block.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		if signer, ok := key.(crypto.Signer); ok {
			return signer, nil
		}
		return nil, fmt.Errorf("%s: a key that cannot sign", file)
	}
	return nil, fmt.Errorf("%s: no PEM private key", file)
}

// `openssl x509 -noout -in FILE`: status 0 when FILE holds a PEM certificate.
func opensslX509(args []string) error {
	opts, err := opensslParse(args, []string{"-in"}, []string{"-noout"}, false)
	if err != nil {
		return err
	}
	if !opts.flags["-noout"] || opts.values["-in"] == "" {
		return opensslUsage("only -noout -in FILE")
	}
	_, err = opensslCertificate(opts.values["-in"])
	return err
}

// `openssl pkey -noout -in FILE [-passin pass:]`: status 0 when FILE holds a private key
// that needs no passphrase.
func opensslPkey(args []string) error {
	opts, err := opensslParse(args, []string{"-in", "-passin"}, []string{"-noout"}, false)
	if err != nil {
		return err
	}
	if !opts.flags["-noout"] || opts.values["-in"] == "" {
		return opensslUsage("only -noout -in FILE")
	}
	if passin, given := opts.values["-passin"]; given && passin != "pass:" {
		return opensslUsage("-passin: only pass: (no passphrase)")
	}
	_, err = opensslPrivateKey(opts.values["-in"])
	return err
}

// `openssl verify [-CAfile FILE] CERT...`: each CERT checked against the system's CAs
// (SSL_CERT_FILE, /etc/ssl/certs: what Go programs such as dockerd trust) or only those of
// FILE, for any purpose, as OpenSSL's verify does. Status 2 when one fails, as OpenSSL's.
func opensslVerify(args []string, stdout, stderr io.Writer) int {
	opts, err := opensslParse(args, []string{"-CAfile"}, nil, true)
	if err == nil && len(opts.operands) == 0 {
		err = opensslUsage("no certificate to verify")
	}
	var roots *x509.CertPool
	if err == nil {
		roots, err = opensslRoots(opts.values["-CAfile"])
	}
	if err != nil {
		opensslSay(stderr, "openssl verify", err)
		return 1
	}
	status := 0
	for _, file := range opts.operands {
		cert, err := opensslCertificate(file)
		if err == nil {
			_, err = cert.Verify(x509.VerifyOptions{
				Roots:     roots,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
			})
		}
		if err != nil {
			fmt.Fprintf(stderr, "error %s: verification failed: %v\n", file, err)
			status = 2
			continue
		}
		fmt.Fprintf(stdout, "%s: OK\n", file)
	}
	return status
}

func opensslRoots(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return x509.SystemCertPool()
	}
	blocks, err := opensslPEM(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	for _, block := range blocks {
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", caFile, err)
		}
		roots.AddCert(cert)
	}
	return roots, nil
}

// `openssl req -x509 [-new] -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes
// -keyout KEY -out CERT [-days N] -subj /CN=NAME [-CA CERT -CAkey KEY] [-addext EXT]...`:
// a new P-256 key and a certificate for it, self-signed or signed by the CA.
func opensslReq(args []string) error {
	opts, err := opensslParse(args,
		[]string{"-newkey", "-pkeyopt", "-keyout", "-out", "-days", "-subj", "-CA", "-CAkey", "-addext"},
		[]string{"-x509", "-new", "-nodes"}, false)
	if err != nil {
		return err
	}
	switch {
	case !opts.flags["-x509"]:
		return opensslUsage("only -x509 (certificates, no requests)")
	case opts.values["-newkey"] != "ec":
		return opensslUsage("only -newkey ec")
	case opts.values["-pkeyopt"] != "ec_paramgen_curve:P-256" &&
		opts.values["-pkeyopt"] != "ec_paramgen_curve:prime256v1":
		return opensslUsage("only -pkeyopt ec_paramgen_curve:P-256")
	case !opts.flags["-nodes"]:
		return opensslUsage("only -nodes (the key is written unencrypted)")
	case opts.values["-keyout"] == "" || opts.values["-out"] == "":
		return opensslUsage("-keyout and -out are needed")
	}
	template, err := opensslTemplate(opts)
	if err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	if template.SubjectKeyId, err = opensslKeyID(&key.PublicKey); err != nil {
		return err
	}
	parent, signer := template, crypto.Signer(key)
	caFile, caKeyFile := opts.values["-CA"], opts.values["-CAkey"]
	if (caFile == "") != (caKeyFile == "") {
		return opensslUsage("-CA and -CAkey go together")
	}
	if caFile != "" {
		if parent, err = opensslCertificate(caFile); err != nil {
			return err
		}
		if signer, err = opensslPrivateKey(caKeyFile); err != nil {
			return err
		}
		public, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
		if !ok || !public.Equal(parent.PublicKey) {
			return fmt.Errorf("%s is not the key of %s", caKeyFile, caFile)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, template, parent, &key.PublicKey, signer)
	if err != nil {
		return err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := opensslWrite(opts.values["-keyout"], "PRIVATE KEY", pkcs8, 0o600); err != nil {
		return err
	}
	return opensslWrite(opts.values["-out"], "CERTIFICATE", der, 0o644)
}

// opensslTemplate: serial number, validity, subject and the -addext extensions.
func opensslTemplate(opts opensslOptions) (*x509.Certificate, error) {
	days := 30 // OpenSSL's default
	if text, given := opts.values["-days"]; given {
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 || n > 36500 {
			return nil, opensslUsage("-days %q: not a number of days from 1 to 36500", text)
		}
		days = n
	}
	subject, err := opensslSubject(opts.values["-subj"])
	if err != nil {
		return nil, err
	}
	// A positive serial number of up to 159 random bits, as OpenSSL makes them.
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 159))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)),
		Subject:      subject,
		NotBefore:    now,
		NotAfter:     now.Add(time.Duration(days) * 24 * time.Hour),
	}
	for _, ext := range opts.addext {
		if err := opensslExtension(template, ext); err != nil {
			return nil, fmt.Errorf("-addext %q: %w", ext, err)
		}
	}
	return template, nil
}

// opensslSubject: "/CN=NAME" or "/O=ORG/CN=NAME"; an empty value leaves its attribute out,
// as OpenSSL does.
func opensslSubject(text string) (pkix.Name, error) {
	var name pkix.Name
	if !strings.HasPrefix(text, "/") {
		return name, opensslUsage("-subj %q: not /CN=NAME", text)
	}
	for _, part := range strings.Split(text[1:], "/") {
		key, value, ok := strings.Cut(part, "=")
		switch {
		case !ok:
			return name, opensslUsage("-subj %q: %q is not KEY=VALUE", text, part)
		case value == "":
		case key == "CN":
			name.CommonName = value
		case key == "O":
			name.Organization = append(name.Organization, value)
		default:
			return name, opensslUsage("-subj %q: only CN and O", text)
		}
	}
	return name, nil
}

var opensslKeyUsages = map[string]x509.KeyUsage{
	"digitalSignature": x509.KeyUsageDigitalSignature,
	"nonRepudiation":   x509.KeyUsageContentCommitment,
	"keyEncipherment":  x509.KeyUsageKeyEncipherment,
	"dataEncipherment": x509.KeyUsageDataEncipherment,
	"keyAgreement":     x509.KeyUsageKeyAgreement,
	"keyCertSign":      x509.KeyUsageCertSign,
	"cRLSign":          x509.KeyUsageCRLSign,
}

var opensslExtKeyUsages = map[string]x509.ExtKeyUsage{
	"serverAuth":      x509.ExtKeyUsageServerAuth,
	"clientAuth":      x509.ExtKeyUsageClientAuth,
	"codeSigning":     x509.ExtKeyUsageCodeSigning,
	"emailProtection": x509.ExtKeyUsageEmailProtection,
}

// opensslExtension: one -addext NAME=VALUE. Go writes basicConstraints and keyUsage as
// critical and extendedKeyUsage and subjectAltName as not critical: a request for anything
// else is refused rather than written differently.
func opensslExtension(cert *x509.Certificate, ext string) error {
	name, value, ok := strings.Cut(ext, "=")
	if !ok || value == "" {
		return opensslUsage("not NAME=VALUE")
	}
	items := strings.Split(value, ",")
	critical := items[0] == "critical"
	if critical {
		items = items[1:]
	}
	switch name {
	case "basicConstraints":
		if !critical || len(items) != 1 || (items[0] != "CA:TRUE" && items[0] != "CA:FALSE") {
			return opensslUsage("only critical,CA:TRUE or critical,CA:FALSE")
		}
		cert.BasicConstraintsValid = true
		cert.IsCA = items[0] == "CA:TRUE"
	case "keyUsage":
		if !critical {
			return opensslUsage("only critical key usages")
		}
		for _, item := range items {
			usage, known := opensslKeyUsages[item]
			if !known {
				return opensslUsage("%s: not a key usage", item)
			}
			cert.KeyUsage |= usage
		}
	case "extendedKeyUsage":
		if critical {
			return opensslUsage("only non-critical extended key usages")
		}
		for _, item := range items {
			usage, known := opensslExtKeyUsages[item]
			if !known {
				return opensslUsage("%s: not an extended key usage", item)
			}
			cert.ExtKeyUsage = append(cert.ExtKeyUsage, usage)
		}
	case "subjectAltName":
		if critical {
			return opensslUsage("only a non-critical subjectAltName")
		}
		for _, item := range items {
			kind, alt, _ := strings.Cut(item, ":")
			switch {
			case kind == "DNS" && alt != "":
				cert.DNSNames = append(cert.DNSNames, alt)
			case kind == "IP" && net.ParseIP(alt) != nil:
				cert.IPAddresses = append(cert.IPAddresses, net.ParseIP(alt))
			default:
				return opensslUsage("%s: only DNS:NAME and IP:ADDRESS", item)
			}
		}
	default:
		return opensslUsage("only basicConstraints, keyUsage, extendedKeyUsage, subjectAltName")
	}
	return nil
}

// opensslKeyID: the SHA-1 of the public key's bits (RFC 5280 4.2.1.2, method 1), the
// subject key identifier OpenSSL gives every certificate it makes.
func opensslKeyID(public crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(public)
	if err != nil {
		return nil, err
	}
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &info); err != nil {
		return nil, err
	}
	sum := sha1.Sum(info.PublicKey.Bytes)
	return sum[:], nil
}

// opensslWrite: a PEM file, written in place as OpenSSL does (the scripts write to a
// temporary name and rename it themselves; a path such as /dev/null stays what it is), with
// the mode asked for (and the umask) when the file is new.
func opensslWrite(file, kind string, der []byte, mode os.FileMode) error {
	out, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	err = pem.Encode(out, &pem.Block{Type: kind, Bytes: der})
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	return err
}
