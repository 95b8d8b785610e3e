package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// bsonDoc builds a BSON document of int32 elements, in the given key order.
func bsonDoc(keys ...string) []byte {
	var body []byte
	for _, k := range keys {
		body = append(body, 0x10)
		body = append(body, k...)
		body = append(body, 0)
		body = binary.LittleEndian.AppendUint32(body, 1)
	}
	body = append(body, 0)
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(body)+4)), body...)
}

func wireMessage(requestID, responseTo, opCode int32, payload []byte) message {
	m := binary.LittleEndian.AppendUint32(nil, uint32(headerLen+len(payload)))
	m = binary.LittleEndian.AppendUint32(m, uint32(requestID))
	m = binary.LittleEndian.AppendUint32(m, uint32(responseTo))
	m = binary.LittleEndian.AppendUint32(m, uint32(opCode))
	return append(m, payload...)
}

// opMsgBody builds an OP_MSG with one body section (kind 0).
func opMsgBody(requestID, responseTo int32, flags uint32, keys ...string) message {
	p := binary.LittleEndian.AppendUint32(nil, flags)
	p = append(p, 0)
	p = append(p, bsonDoc(keys...)...)
	return wireMessage(requestID, responseTo, opMsg, p)
}

func TestCommandNameReadsFirstKeyOfBodySection(t *testing.T) {
	m := opMsgBody(1, 0, 0, "findAndModify", "$db")
	if got := m.commandName(); got != "findAndModify" {
		t.Fatalf("commandName = %q", got)
	}
}

func TestCommandNameSkipsDocumentSequenceBeforeBody(t *testing.T) {
	seq := append([]byte("documents\x00"), bsonDoc("_id")...)
	p := binary.LittleEndian.AppendUint32(nil, 0)
	p = append(p, 1)
	p = binary.LittleEndian.AppendUint32(p, uint32(4+len(seq)))
	p = append(p, seq...)
	p = append(p, 0)
	p = append(p, bsonDoc("insert", "$db")...)
	m := wireMessage(1, 0, opMsg, p)
	if got := m.commandName(); got != "insert" {
		t.Fatalf("commandName = %q", got)
	}
}

func TestCommandNameIgnoresChecksum(t *testing.T) {
	m := opMsgBody(1, 0, flagChecksum, "update")
	m = append(m, 0xde, 0xad, 0xbe, 0xef)
	binary.LittleEndian.PutUint32(m[0:4], uint32(len(m)))
	if got := m.commandName(); got != "update" {
		t.Fatalf("commandName = %q", got)
	}
}

func TestCommandNameIsEmptyForMalformedMessages(t *testing.T) {
	cases := map[string]message{
		"op query":       wireMessage(1, 0, 2004, []byte{1, 2, 3}),
		"no sections":    wireMessage(1, 0, opMsg, []byte{0, 0, 0, 0}),
		"unknown kind":   wireMessage(1, 0, opMsg, []byte{0, 0, 0, 0, 7, 1}),
		"truncated bson": wireMessage(1, 0, opMsg, []byte{0, 0, 0, 0, 0, 50, 0, 0, 0, 0x10, 'a'}),
		"bad sequence":   wireMessage(1, 0, opMsg, []byte{0, 0, 0, 0, 1, 200, 0, 0, 0}),
	}
	for name, m := range cases {
		if got := m.commandName(); got != "" {
			t.Errorf("%s: commandName = %q, want empty", name, got)
		}
	}
}

func TestIsWriteCoversWriteAndDDLCommandsCaseInsensitively(t *testing.T) {
	for _, cmd := range []string{"insert", "update", "delete", "findAndModify", "findandmodify", "create",
		"createIndexes", "drop", "dropIndexes", "dropDatabase", "renameCollection", "collMod"} {
		if !isWrite(opMsgBody(1, 0, 0, cmd, "$db")) {
			t.Errorf("%s should be gated", cmd)
		}
	}
	for _, cmd := range []string{"find", "aggregate", "getMore", "ping", "hello", "listCollections", "count"} {
		if isWrite(opMsgBody(1, 0, 0, cmd, "$db")) {
			t.Errorf("%s should pass ungated", cmd)
		}
	}
	if isWrite(wireMessage(1, 0, 2004, bsonDoc("insert"))) {
		t.Error("non-OP_MSG opcodes are relayed unchanged and ungated")
	}
	if !isWrite(wireMessage(1, 0, opCompressed, []byte{0, 0, 0, 0})) {
		t.Error("OP_COMPRESSED hides its command and is gated to be safe")
	}
}

func TestMoreToComeFlag(t *testing.T) {
	if !opMsgBody(1, 0, flagMoreToCome, "insert").moreToCome() {
		t.Error("flag bit 1 should mean moreToCome")
	}
	if opMsgBody(1, 0, 1<<16, "find").moreToCome() {
		t.Error("exhaustAllowed is not moreToCome")
	}
	if wireMessage(1, 0, 1, []byte{2, 0, 0, 0}).moreToCome() {
		t.Error("only OP_MSG carries moreToCome")
	}
}

func TestReadMessageReturnsWholeMessages(t *testing.T) {
	a, b := opMsgBody(7, 0, 0, "ping"), opMsgBody(8, 7, 0, "ok")
	r := bytes.NewReader(append(append([]byte{}, a...), b...))
	for _, want := range []message{a, b} {
		got, err := readMessage(r)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("readMessage = %v, %v", got, err)
		}
	}
	if got := a.requestID(); got != 7 {
		t.Errorf("requestID = %d", got)
	}
	if got := b.responseTo(); got != 7 {
		t.Errorf("responseTo = %d", got)
	}
}

func TestReadMessageRejectsLengthsOutOfRange(t *testing.T) {
	for _, n := range []int32{0, 15, -1, maxMessageLen + 1} {
		buf := binary.LittleEndian.AppendUint32(nil, uint32(n))
		buf = append(buf, make([]byte, 32)...)
		if _, err := readMessage(bytes.NewReader(buf)); !errors.Is(err, errMessageLength) {
			t.Errorf("length %d: err = %v", n, err)
		}
	}
}
