// `openssl s_client -quiet -connect HOST:PORT [-servername NAME] [-verify_hostname NAME |
// -verify_ip IP] [-verify DEPTH] [-verify_return_error]`: what busybox's wget runs for an
// https:// URL (it writes the request and reads the answer on the helper's stdin and stdout,
// and asks for verification with the last options; for an address it passes -verify_ip
// IP:PORT). The connection is refused unless the server presents a certificate for NAME or
// IP (or the host of -connect) that the system's CAs (or
// SSL_CERT_FILE) vouch for, as for dockerd's pulls: with or without -verify_return_error,
// a wget of a site with a bad certificate fails instead of reading it.
package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

func opensslSClient(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := opensslParse(args,
		[]string{"-connect", "-servername", "-verify_hostname", "-verify_ip", "-verify"},
		[]string{"-quiet", "-verify_return_error"}, false)
	if err == nil && !opts.flags["-quiet"] {
		// Without -quiet, OpenSSL prints the session and reacts to lines starting with Q or R.
		err = opensslUsage("only -quiet is supported")
	}
	address := opts.values["-connect"]
	host, _, splitErr := net.SplitHostPort(address)
	if err == nil && splitErr != nil {
		err = opensslUsage("-connect needs HOST:PORT: %v", splitErr)
	}
	// The chain's depth is Go's to judge; the value must still be a number.
	if depth, given := opts.values["-verify"]; err == nil && given {
		if _, numErr := strconv.ParseUint(depth, 10, 8); numErr != nil {
			err = opensslUsage("-verify needs a depth: %v", numErr)
		}
	}
	// An address to verify (busybox's wget adds the port, which is not part of it).
	verifyIP := opts.values["-verify_ip"]
	if ip, _, splitErr := net.SplitHostPort(verifyIP); splitErr == nil {
		verifyIP = ip
	}
	if verifyIP != "" && net.ParseIP(verifyIP) == nil && err == nil {
		err = opensslUsage("-verify_ip %s is not an address", verifyIP)
	}
	// One name is sent (SNI) and verified; two different ones are refused, not guessed.
	name := opts.values["-servername"]
	for _, verify := range []string{opts.values["-verify_hostname"], verifyIP} {
		if verify == "" {
			continue
		}
		if name != "" && name != verify && err == nil {
			err = opensslUsage("%s and %s: two names to verify", name, verify)
		}
		name = verify
	}
	if name == "" {
		name = host
	}
	if err != nil {
		opensslSay(stderr, "openssl s_client", err)
		return 1
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	conn, err := tls.DialWithDialer(dialer, "tcp", address, &tls.Config{ServerName: name})
	if err != nil {
		opensslSay(stderr, "openssl s_client", err)
		return 1
	}
	defer conn.Close()
	// Whatever the caller writes goes to the server; when it is done writing, the server is
	// told (close_notify) and its answer is read to the end.
	go func() {
		if _, err := io.Copy(conn, stdin); err == nil {
			_ = conn.CloseWrite()
		}
	}()
	// A server that closes the connection without TLS's close_notify ends the answer too, as
	// with OpenSSL's s_client (HTTP says its own length).
	if _, err := io.Copy(stdout, conn); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		fmt.Fprintf(stderr, "openssl s_client: %v\n", err)
		return 1
	}
	return 0
}
