package tradeplan

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// AuditEntry is one entry of the append-only audit log: who did what, when,
// to which subject, with the state before and after (JSON, null when there was
// none). Entries form a hash chain: Hash covers the entry and PrevHash, the
// Hash of the entry before it ("" for the first), so any edit, deletion or
// reordering of stored entries breaks the chain.
type AuditEntry struct {
	Seq     int64           `json:"seq"` // 1, 2, 3, ... without gaps
	At      time.Time       `json:"at"`  // UTC, microsecond precision
	Actor   string          `json:"actor"`
	OrgID   int64           `json:"org_id,omitempty"` // the organisation the subject belongs to; 0 for none
	Action  string          `json:"action"`           // "org.create", "user.create", "token.revoke", ...
	Subject string          `json:"subject"`          // "org:3", "user:7", "dataset:list/un", ...
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
	// State are the digests of the protected rows the change wrote, as
	// they stood when it committed, so that `audit verify --state` can tell
	// rows changed behind the application's back.
	State    []RowDigest `json:"state,omitempty"`
	PrevHash string      `json:"prev_hash"` // hex
	Hash     string      `json:"hash"`      // hex
}

// RowDigest is the digest of one stored row: Row names it by table and key,
// "permits[id=7]"; Digest is the hex SHA-256 of its columns as text.
type RowDigest struct {
	Row    string `json:"row"`
	Digest string `json:"digest"`
}

// ComputeHash returns the hex SHA-256 of the entry's canonical encoding: a
// version tag, then PrevHash, Seq, At (RFC 3339 with nanoseconds, UTC), Actor,
// OrgID, Action, Subject, Before and After, each as a big-endian 8-byte length
// followed by its bytes; then, for an entry with State, the tag
// "state" and each row's name and digest. The Hash field itself is not
// covered.
func (e AuditEntry) ComputeHash() string {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte("tradeplan-audit-v1"))
	field([]byte(e.PrevHash))
	field(strconv.AppendInt(nil, e.Seq, 10))
	field([]byte(e.At.UTC().Format(time.RFC3339Nano)))
	field([]byte(e.Actor))
	field(strconv.AppendInt(nil, e.OrgID, 10))
	field([]byte(e.Action))
	field([]byte(e.Subject))
	field(e.Before)
	field(e.After)
	if len(e.State) > 0 {
		field([]byte("state"))
		for _, d := range e.State {
			field([]byte(d.Row))
			field([]byte(d.Digest))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	AfterSeq int64   // entries with Seq > AfterSeq
	OrgIDs   []int64 // entries of these organisations (a scope); nil for all
	Subject  string  // entries about this subject, e.g. "user:7"
	Limit    int     // at most this many (default 100, at most 1000)

	// BeforeSeq keeps entries with Seq < BeforeSeq; 0 does not filter.
	BeforeSeq int64
	// Newest lists the newest entries first (the last Limit before
	// BeforeSeq) instead of chain order.
	Newest bool
	// Action keeps entries whose action starts with it ("plan." for every
	// plan action); Actor those of an actor, exactly.
	Action string
	Actor  string
}

// AuditVerification is the outcome of walking the audit chain.
type AuditVerification struct {
	OK       bool   `json:"ok"`
	Entries  int64  `json:"entries"`           // entries checked
	HeadSeq  int64  `json:"head_seq"`          // the chain head's seq
	HeadHash string `json:"head_hash"`         // and hash
	BadSeq   int64  `json:"bad_seq,omitempty"` // the first bad entry (for a missing entry, the seq expected there)
	Problem  string `json:"problem,omitempty"` // what is wrong with it
}
