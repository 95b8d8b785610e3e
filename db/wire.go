package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MongoDB wire protocol constants (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/).
const (
	headerLen      = 16
	maxMessageLen  = 48_000_000 // maxMessageSizeBytes advertised by MongoDB servers
	opMsg          = 2013
	opCompressed   = 2012
	flagMoreToCome = 1 << 1
	flagChecksum   = 1 << 0
)

// errMessageLength closes a connection that sends a length no MongoDB peer would send.
var errMessageLength = errors.New("wire message length out of range")

// writeCommands change data or schema; the gate serialises them because FerretDB 1.24 runs
// update/findAndModify as a query followed by a write by _id with nothing held in between.
// Keys are lower-case: MongoDB (and FerretDB) also accept legacy spellings such as "findandmodify".
var writeCommands = map[string]bool{
	"insert":           true,
	"update":           true,
	"delete":           true,
	"findandmodify":    true,
	"create":           true,
	"createindexes":    true,
	"drop":             true,
	"dropindexes":      true,
	"dropdatabase":     true,
	"renamecollection": true,
	"collmod":          true,
}

// message is one complete wire message, header included.
type message []byte

func (m message) requestID() int32  { return int32(binary.LittleEndian.Uint32(m[4:8])) }
func (m message) responseTo() int32 { return int32(binary.LittleEndian.Uint32(m[8:12])) }
func (m message) opCode() int32     { return int32(binary.LittleEndian.Uint32(m[12:16])) }

// flags returns the OP_MSG flag bits, or 0 for other opcodes and truncated messages.
func (m message) flags() uint32 {
	if m.opCode() != opMsg || len(m) < headerLen+4 {
		return 0
	}
	return binary.LittleEndian.Uint32(m[headerLen : headerLen+4])
}

// moreToCome reports the OP_MSG flag: on a request no reply follows, on a reply more replies follow.
func (m message) moreToCome() bool { return m.flags()&flagMoreToCome != 0 }

// readMessage reads one wire message, rejecting lengths outside [16, 48 MB].
func readMessage(r io.Reader) (message, error) {
	var lenBuf [4]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return nil, err
	}
	n := int32(binary.LittleEndian.Uint32(lenBuf[:]))
	if n < headerLen || n > maxMessageLen {
		return nil, fmt.Errorf("%w: %d", errMessageLength, n)
	}
	m := make(message, n)
	copy(m, lenBuf[:])
	if _, err := io.ReadFull(r, m[4:]); err != nil {
		return nil, err
	}
	return m, nil
}

// commandName returns the first key of the OP_MSG body section (kind 0), or "" when the
// message is not an OP_MSG or is malformed; such messages are relayed and FerretDB answers them.
func (m message) commandName() string {
	if m.opCode() != opMsg || len(m) < headerLen+4 {
		return ""
	}
	end := len(m)
	if m.flags()&flagChecksum != 0 {
		end -= 4
	}
	for pos := headerLen + 4; pos < end; {
		kind := m[pos]
		pos++
		switch kind {
		case 0:
			return firstKey(m[pos:end])
		case 1: // document sequence: int32 size (includes itself), identifier, documents
			if pos+4 > end {
				return ""
			}
			size := int(binary.LittleEndian.Uint32(m[pos : pos+4]))
			if size < 4 || pos+size > end {
				return ""
			}
			pos += size
		default:
			return ""
		}
	}
	return ""
}

// firstKey returns the name of the first element of the BSON document at the start of b.
func firstKey(b []byte) string {
	// int32 document length, then element type byte, then the element name as a C string
	if len(b) < 6 {
		return ""
	}
	docLen := int(binary.LittleEndian.Uint32(b[:4]))
	if docLen < 5 || docLen > len(b) || b[4] == 0 {
		return ""
	}
	name := b[5:docLen]
	for i, c := range name {
		if c == 0 {
			return string(name[:i])
		}
	}
	return ""
}

// isWrite reports whether the gate must be held while m is in flight.
func isWrite(m message) bool {
	switch m.opCode() {
	case opMsg:
		return writeCommands[strings.ToLower(m.commandName())]
	case opCompressed:
		// The command name is inside the compressed payload; FerretDB does not offer
		// compression, but if a client sends it anyway, serialising it is the safe choice.
		return true
	default:
		return false
	}
}
