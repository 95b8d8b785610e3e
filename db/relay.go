package main

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
)

// relay accepts MongoDB clients and forwards their wire messages to FerretDB's Unix socket.
type relay struct {
	upstream string      // FerretDB Unix socket path
	gate     *sync.Mutex // nil when --no-write-gate is set
	logger   *slog.Logger
}

// serve accepts connections until l is closed.
func (r *relay) serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				r.logger.Warn("accept failed", "error", err)
			}
			return
		}
		go r.handle(c)
	}
}

// pendingReply is the gated request whose reply releases the gate.
type pendingReply struct {
	requestID int32
	relayed   chan struct{}
}

// handle relays one client connection in both directions.
func (r *relay) handle(client net.Conn) {
	server, err := net.Dial("unix", r.upstream)
	if err != nil {
		r.logger.Warn("cannot reach FerretDB", "error", err)
		client.Close()
		return
	}

	closed := make(chan struct{})
	closeBoth := sync.OnceFunc(func() {
		close(closed)
		client.Close()
		server.Close()
	})
	defer closeBoth()

	var mu sync.Mutex
	var pending *pendingReply

	// Replies: relay everything; the gated request's final reply (no moreToCome) releases it.
	go func() {
		defer closeBoth()
		for {
			m, err := readMessage(server)
			if err != nil {
				r.logClose("server", err)
				return
			}
			if _, err := client.Write(m); err != nil {
				return
			}
			mu.Lock()
			if pending != nil && m.responseTo() == pending.requestID && !m.moreToCome() {
				close(pending.relayed)
				pending = nil
			}
			mu.Unlock()
		}
	}()

	for {
		m, err := readMessage(client)
		if err != nil {
			r.logClose("client", err)
			return
		}
		if r.gate == nil || !isWrite(m) {
			if _, err := server.Write(m); err != nil {
				return
			}
			continue
		}
		if !r.forwardGated(server, m, closed, func(p *pendingReply) {
			mu.Lock()
			pending = p
			mu.Unlock()
		}) {
			return
		}
	}
}

// forwardGated holds the gate from forwarding m until its reply has been relayed.
// A request flagged moreToCome (an unacknowledged write) has no reply, so the gate
// is released once it is forwarded.
func (r *relay) forwardGated(server net.Conn, m message, closed <-chan struct{}, await func(*pendingReply)) bool {
	r.gate.Lock()
	defer r.gate.Unlock()

	if m.moreToCome() {
		_, err := server.Write(m)
		return err == nil
	}
	p := &pendingReply{requestID: m.requestID(), relayed: make(chan struct{})}
	await(p) // registered before writing, so the reply cannot slip past
	if _, err := server.Write(m); err != nil {
		return false
	}
	select {
	case <-p.relayed:
		return true
	case <-closed:
		return false
	}
}

func (r *relay) logClose(side string, err error) {
	if errors.Is(err, errMessageLength) {
		r.logger.Warn("closing connection", "side", side, "error", err)
		return
	}
	if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		r.logger.Debug("connection ended", "side", side, "error", err)
	}
}
