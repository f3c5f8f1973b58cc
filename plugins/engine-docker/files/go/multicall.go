// The Berth engine: Docker's daemon and CLI, containerd and its runc v2 shim (and a zstd
// decompressor and the few openssl commands Berth's scripts run) in one binary. Each program is chosen by the name it runs under (argv[0]); the image links
// every name to this one file with hard links, because containerd's shim re-executes
// os.Executable(), which resolves a symbolic link to the target's own name.
package main

import (
	"context"
	"crypto"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	containerd "github.com/containerd/containerd/cmd/containerd/command"
	"github.com/containerd/containerd/pkg/hasher"
	"github.com/containerd/containerd/pkg/seed"
	"github.com/containerd/containerd/runtime/v2/runc/manager"
	"github.com/containerd/containerd/runtime/v2/shim"
	docker "github.com/docker/cli/cmd/docker"
	dockerproxy "github.com/docker/docker/cmd/docker-proxy"
	dockerd "github.com/docker/docker/cmd/dockerd"
	"github.com/docker/docker/pkg/reexec"

	// What containerd's and the shim's own main packages import for their side effects:
	// the daemon's built-in plugins, and the shim's task and pause services.
	_ "github.com/containerd/containerd/cmd/containerd/builtins"
	_ "github.com/containerd/containerd/runtime/v2/runc/pause"
	_ "github.com/containerd/containerd/runtime/v2/runc/task/plugin"
)

var programs = map[string]func(){
	"dockerd":      dockerd.Main,
	"docker":       docker.Main,
	"docker-proxy": dockerproxy.Main,
	"containerd": func() {
		// What containerd's own main package does before main().
		seed.WithTimeAndRand() //nolint:staticcheck // as containerd does
		crypto.RegisterHash(crypto.SHA256, hasher.NewSHA256)
		if err := containerd.App().Run(os.Args); err != nil {
			fmt.Fprintf(os.Stderr, "containerd: %s\n", err)
			os.Exit(1)
		}
	},
	"containerd-shim-runc-v2": func() {
		shim.RunManager(context.Background(), manager.NewShimManager("io.containerd.runc.v2"))
	},
	// zstd.go: decompression for GNU tar and people, with Docker's own zstd decoder.
	"zstd":    zstdProgram,
	"unzstd":  zstdProgram,
	"zstdcat": zstdProgram,
	"zstdmt":  zstdProgram, // Debian's zstd package links it to zstd
	// openssl.go: the OpenSSL commands Berth's scripts run, with Go's crypto/x509.
	"openssl": opensslProgram,
}

func zstdProgram() {
	os.Exit(zstdMain(filepath.Base(os.Args[0]), os.Args[1:]))
}

func main() {
	// dockerd re-executes itself under names of its own (chrootarchive, libnetwork).
	if reexec.Init() {
		return
	}
	name := filepath.Base(os.Args[0])
	if program, ok := programs[name]; ok {
		program()
		return
	}
	names := make([]string, 0, len(programs))
	for known := range programs {
		names = append(names, known)
	}
	sort.Strings(names)
	fmt.Fprintf(os.Stderr, "%s: run me as one of %v\n", name, names)
	os.Exit(127)
}
