package main

import (
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const flagExhaustAllowed = 1 << 16

// fakeFerret answers each request after delay; a request flagged exhaustAllowed gets three
// replies, the first two flagged moreToCome, and a request flagged moreToCome gets none.
type fakeFerret struct {
	delay       time.Duration
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
}

func (f *fakeFerret) serve(t *testing.T, l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			for {
				m, err := readMessage(c)
				if err != nil {
					return
				}
				n := f.inFlight.Add(1)
				for {
					old := f.maxInFlight.Load()
					if n <= old || f.maxInFlight.CompareAndSwap(old, n) {
						break
					}
				}
				time.Sleep(f.delay)
				if m.flags()&flagExhaustAllowed != 0 {
					for i := 0; i < 2; i++ {
						c.Write(opMsgBody(100, m.requestID(), flagMoreToCome, "ok"))
						time.Sleep(f.delay)
					}
				}
				// in flight until the final reply is written, so a gate released early shows up
				f.inFlight.Add(-1)
				if !m.moreToCome() {
					c.Write(opMsgBody(100, m.requestID(), 0, "ok"))
				}
			}
		}()
	}
}

// startRelay runs a fake FerretDB behind a relay and returns the relay's TCP address.
func startRelay(t *testing.T, f *fakeFerret, gated bool) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "f.sock")
	ul, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	go f.serve(t, ul)
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{upstream: sock, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if gated {
		r.gate = &sync.Mutex{}
	}
	go r.serve(tl)
	t.Cleanup(func() { tl.Close(); ul.Close() })
	return tl.Addr().String()
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// roundTrip sends m and reads replies until one without moreToCome.
func roundTrip(t *testing.T, c net.Conn, m message) int {
	t.Helper()
	if _, err := c.Write(m); err != nil {
		t.Error(err)
		return 0
	}
	for n := 1; ; n++ {
		reply, err := readMessage(c)
		if err != nil {
			t.Error(err)
			return n
		}
		if reply.responseTo() != m.requestID() {
			t.Errorf("reply to %d, want %d", reply.responseTo(), m.requestID())
		}
		if !reply.moreToCome() {
			return n
		}
	}
}

func concurrentUpdates(t *testing.T, addr string, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		c := dial(t, addr)
		wg.Add(1)
		go func(id int32) {
			defer wg.Done()
			roundTrip(t, c, opMsgBody(id, 0, 0, "update", "$db"))
		}(int32(i + 1))
	}
	wg.Wait()
}

func TestGateSerialisesWrites(t *testing.T) {
	f := &fakeFerret{delay: 10 * time.Millisecond}
	concurrentUpdates(t, startRelay(t, f, true), 8)
	if got := f.maxInFlight.Load(); got != 1 {
		t.Fatalf("writes in flight at once = %d, want 1", got)
	}
}

func TestWithoutGateWritesOverlap(t *testing.T) {
	f := &fakeFerret{delay: 20 * time.Millisecond}
	concurrentUpdates(t, startRelay(t, f, false), 8)
	if got := f.maxInFlight.Load(); got < 2 {
		t.Fatalf("writes in flight at once = %d, want overlap without the gate", got)
	}
}

func TestReadsPassWhileAWriteHoldsTheGate(t *testing.T) {
	f := &fakeFerret{delay: 200 * time.Millisecond}
	addr := startRelay(t, f, true)
	writer, reader := dial(t, addr), dial(t, addr)
	go roundTrip(t, writer, opMsgBody(1, 0, 0, "update", "$db"))
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	roundTrip(t, reader, opMsgBody(2, 0, 0, "find", "$db"))
	if elapsed := time.Since(start); elapsed > 350*time.Millisecond {
		t.Fatalf("find waited %v behind the write", elapsed)
	}
	if got := f.maxInFlight.Load(); got != 2 {
		t.Fatalf("in flight = %d, want read beside write", got)
	}
}

func TestGateHeldUntilTheLastOfSeveralReplies(t *testing.T) {
	f := &fakeFerret{delay: 30 * time.Millisecond}
	addr := startRelay(t, f, true)
	a, b := dial(t, addr), dial(t, addr)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if n := roundTrip(t, a, opMsgBody(1, 0, flagExhaustAllowed, "update", "$db")); n != 3 {
			t.Errorf("replies = %d, want 3", n)
		}
	}()
	time.Sleep(10 * time.Millisecond)
	roundTrip(t, b, opMsgBody(2, 0, 0, "insert", "$db"))
	wg.Wait()
	if got := f.maxInFlight.Load(); got != 1 {
		t.Fatalf("writes in flight at once = %d, want 1", got)
	}
}

func TestMoreToComeWriteReleasesTheGateWithoutAReply(t *testing.T) {
	f := &fakeFerret{delay: time.Millisecond}
	addr := startRelay(t, f, true)
	a, b := dial(t, addr), dial(t, addr)
	if _, err := a.Write(opMsgBody(1, 0, flagMoreToCome, "insert", "$db")); err != nil {
		t.Fatal(err)
	}
	finished := make(chan struct{})
	go func() {
		roundTrip(t, b, opMsgBody(2, 0, 0, "insert", "$db"))
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(2 * time.Second):
		t.Fatal("unacknowledged write kept the gate")
	}
}

func TestOutOfRangeLengthClosesTheConnection(t *testing.T) {
	addr := startRelay(t, &fakeFerret{}, true)
	c := dial(t, addr)
	c.Write(binary.LittleEndian.AppendUint32(nil, 64_000_000))
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read = %v, want EOF", err)
	}
}
