// Command ferretdb-gate runs an embedded FerretDB (SQLite backend) behind a write gate.
//
// FerretDB listens on a Unix socket; this program listens on TCP and relays MongoDB wire
// messages to it, serialising write commands so that single-document updates are atomic
// again (see docs/database.md).
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// maxSocketPath stays under the sun_path limit (104 bytes on macOS, 108 on Linux).
const maxSocketPath = 100

type options struct {
	listenAddr       string
	dataDir          string
	noWriteGate      bool
	parentPID        int
	exitOnStdinClose bool
	ephemeral        bool
	logLevel         string
}

func main() {
	var o options
	flag.StringVar(&o.listenAddr, "listen-addr", "127.0.0.1:27017", "TCP address for MongoDB clients (port 0 picks a free port)")
	flag.StringVar(&o.dataDir, "data-dir", "", "directory for the SQLite files (created if missing)")
	flag.BoolVar(&o.noWriteGate, "no-write-gate", false, "relay writes without the gate; for benchmarks and comparison only")
	flag.IntVar(&o.parentPID, "parent-pid", 0, "exit when this process disappears")
	flag.BoolVar(&o.exitOnStdinClose, "exit-on-stdin-close", false, "exit when stdin reaches EOF")
	flag.BoolVar(&o.ephemeral, "ephemeral", false, "delete --data-dir on exit (test databases)")
	flag.StringVar(&o.logLevel, "log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-gate:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.dataDir == "" {
		return errors.New("--data-dir is required")
	}
	dataDir, err := filepath.Abs(o.dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(quietHandler{slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})})

	socket := socketPath(dataDir)
	if err := clearStaleSocket(socket); err != nil {
		return err
	}

	// Telemetry: the embedded package disables and locks it in ferretdb.New.
	fdb, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: (&url.URL{Scheme: "file", Path: dataDir + "/"}).String(),
	})
	if err != nil {
		return err
	}
	defer os.Remove(socket)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = fdb.Run(ctx) // closes the SQLite backend when ctx ends
	}()

	l, err := net.Listen("tcp", o.listenAddr)
	if err != nil {
		cancel()
		wg.Wait()
		return err
	}

	r := &relay{upstream: socket, logger: logger}
	if !o.noWriteGate {
		r.gate = &sync.Mutex{}
	} else {
		logger.Warn("write gate disabled: concurrent updates may be lost (comparison only)")
	}
	go r.serve(l)

	if o.parentPID > 0 {
		go watchParent(o.parentPID, cancel)
	}
	if o.exitOnStdinClose {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			cancel()
		}()
	}

	fmt.Printf("ready mongodb://%s/\n", l.Addr())

	<-ctx.Done()
	l.Close()
	wg.Wait()
	if o.ephemeral {
		// Also covers a parent killed outright, which cannot clean up after itself.
		return os.RemoveAll(dataDir)
	}
	return nil
}

// socketPath puts FerretDB's socket in the data directory, or in the temp folder when
// that path would be too long for a Unix socket; the hash keeps one socket per data dir.
func socketPath(dataDir string) string {
	p := filepath.Join(dataDir, "ferretdb.sock")
	if len(p) <= maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(dataDir))
	return filepath.Join(os.TempDir(), "ferretdb-gate-"+hex.EncodeToString(sum[:6])+".sock")
}

// clearStaleSocket removes a socket left by a killed run, but refuses to start a second
// server on a data directory that is still being served.
func clearStaleSocket(socket string) error {
	if _, err := os.Stat(socket); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if c, err := net.DialTimeout("unix", socket, time.Second); err == nil {
		c.Close()
		return fmt.Errorf("another ferretdb-gate is serving this data directory (%s)", socket)
	}
	return os.Remove(socket)
}

// watchParent cancels when the parent process is gone, so even `kill -9` of the
// parent leaves no orphan; re-parenting catches a recycled pid.
func watchParent(pid int, cancel context.CancelFunc) {
	startPPID := os.Getppid()
	for range time.Tick(250 * time.Millisecond) {
		gone := syscall.Kill(pid, 0) == syscall.ESRCH
		if gone || (startPPID == pid && os.Getppid() != pid) {
			cancel()
			return
		}
	}
}
