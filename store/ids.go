package store

import (
	"crypto/rand"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// idEntropy makes the ids of one process increase within a millisecond too, so that rows
// inserted together (which share created_at, PostgreSQL's transaction time) sort by id in the
// order they were created.
var idEntropy = &ulid.LockedMonotonicReader{MonotonicReader: ulid.Monotonic(rand.Reader, 0)}

// NewID returns a Medusa id: prefix + "_" + ULID, e.g. "reg_01G8..." (Medusa's generateEntityId).
func NewID(prefix string) string {
	id := ulid.MustNew(ulid.Timestamp(time.Now()), idEntropy).String()
	if prefix == "" {
		return id
	}
	return prefix + "_" + id
}

// IDPrefix returns the prefix of a Medusa id ("reg" for "reg_01G..."), or "" if it has none.
func IDPrefix(id string) string {
	p, _, ok := strings.Cut(id, "_")
	if !ok {
		return ""
	}
	return p
}
