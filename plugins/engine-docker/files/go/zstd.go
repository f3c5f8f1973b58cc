// The engine's zstd: decompression only, with the zstd decoder Docker links already
// (klauspost/compress), so the image needs no zstd program of its own. GNU tar runs
// `zstd -d` for a zstd-compressed archive (the importer's OCI layouts); people run
// `zstd -d FILE.zst`, `unzstd` and `zstdcat`. Compressing is refused with one line.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// zstd's own default limit for decompression (--long=27): a frame asking for a larger
// window is refused rather than allowed to take the machine's memory.
const zstdMaxWindow = 128 << 20

type zstdOptions struct {
	decompress bool
	stdout     bool
	force      bool
	output     string
	files      []string
}

func zstdUsage(name string) {
	fmt.Fprintf(os.Stderr, "usage: %s -d [-c] [-f] [-q] [-k] [-o FILE] [FILE...]\n"+
		"Berth's zstd decompresses only: FILE.zst becomes FILE (FILE.tzst FILE.tar); "+
		"-c or no FILE writes to standard output.\n", name)
}

// zstdParse reads zstd's options as the real program spells them; short ones may be
// combined (-dcf). An option this zstd does not have is an error, never ignored.
func zstdParse(name string, args []string) (zstdOptions, error) {
	opts := zstdOptions{decompress: name == "unzstd" || name == "zstdcat", stdout: name == "zstdcat"}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			opts.files = append(opts.files, args[i+1:]...)
			return opts, nil
		case arg == "--decompress" || arg == "--uncompress":
			opts.decompress = true
		case arg == "--stdout":
			opts.stdout = true
		case arg == "--force":
			opts.force = true
		case arg == "--quiet" || arg == "--keep":
		case arg == "-o":
			if i+1 == len(args) {
				return opts, errors.New("-o needs a file name")
			}
			i++
			opts.output = args[i]
		case arg == "-" || !strings.HasPrefix(arg, "-"):
			opts.files = append(opts.files, arg)
		case strings.HasPrefix(arg, "--"):
			return opts, fmt.Errorf("%s: not an option of Berth's zstd (it decompresses only)", arg)
		default:
			for _, letter := range arg[1:] {
				switch letter {
				case 'd':
					opts.decompress = true
				case 'c':
					opts.stdout = true
				case 'f':
					opts.force = true
				case 'q', 'k':
				default:
					return opts, fmt.Errorf("-%c: not an option of Berth's zstd (it decompresses only)", letter)
				}
			}
		}
	}
	return opts, nil
}

func zstdDecode(in io.Reader, out io.Writer) error {
	decoder, err := zstd.NewReader(in, zstd.WithDecoderMaxWindow(zstdMaxWindow),
		zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return err
	}
	defer decoder.Close()
	_, err = decoder.WriteTo(out)
	return err
}

// zstdOutputName: FILE.zst -> FILE, FILE.tzst -> FILE.tar, as zstd names them.
func zstdOutputName(file string) (string, error) {
	switch {
	case strings.HasSuffix(file, ".tzst") && len(file) > len(".tzst"):
		return strings.TrimSuffix(file, ".tzst") + ".tar", nil
	case strings.HasSuffix(file, ".zst") && len(file) > len(".zst"):
		return strings.TrimSuffix(file, ".zst"), nil
	}
	return "", errors.New("unknown suffix (not .zst or .tzst); use -c or -o")
}

// zstdFile decompresses one file to standard output or to its own output file. A failed
// output file is removed, so no half-written file looks like a result.
func zstdFile(file string, opts zstdOptions) error {
	in := os.Stdin
	if file != "-" {
		opened, err := os.Open(file)
		if err != nil {
			return err
		}
		defer opened.Close()
		in = opened
	}
	target := opts.output
	if opts.stdout || (target == "" && file == "-") || target == "-" {
		return zstdDecode(in, os.Stdout)
	}
	if target == "" {
		name, err := zstdOutputName(file)
		if err != nil {
			return err
		}
		target = name
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if opts.force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	out, err := os.OpenFile(target, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists already (-f overwrites it)", target)
	} else if err != nil {
		return err
	}
	err = zstdDecode(in, out)
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(target)
	}
	return err
}

func zstdMain(name string, args []string) int {
	for _, arg := range args {
		switch arg {
		case "-V", "--version":
			fmt.Println("zstd (Berth engine): decompression only, github.com/klauspost/compress/zstd")
			return 0
		case "-h", "-H", "--help":
			zstdUsage(name)
			return 0
		}
	}
	opts, err := zstdParse(name, args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	if !opts.decompress {
		fmt.Fprintf(os.Stderr, "%s: Berth's zstd decompresses only (-d); nothing compresses here\n", name)
		return 1
	}
	if len(opts.files) == 0 {
		opts.files = []string{"-"}
	}
	if opts.output != "" && len(opts.files) > 1 {
		fmt.Fprintf(os.Stderr, "%s: -o takes one input file\n", name)
		return 1
	}
	status := 0
	for _, file := range opts.files {
		if err := zstdFile(file, opts); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %s: %v\n", name, file, err)
			status = 1
		}
	}
	return status
}
