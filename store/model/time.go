// Package model holds the bun models of Medusa 1.3.8's tables, column for column.
//
// JSON tags are Medusa's response field names. Relations are tagged `omitzero`: a relation that was
// not loaded is absent from the JSON, exactly as TypeORM leaves it undefined; rest/ adds `null` or
// `[]` for relations that were requested but came back empty.
package model

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Time is a timestamptz that serialises like JavaScript's Date.prototype.toJSON, which is what
// Medusa's responses carry: UTC, millisecond precision, "Z" suffix (2022-07-01T10:20:30.123Z).
// PostgreSQL keeps microseconds; they are truncated on output only.
type Time struct{ time.Time }

// Now returns the current time truncated to microseconds, the precision PostgreSQL stores.
func Now() Time { return Time{time.Now().UTC().Truncate(time.Microsecond)} }

const jsDateLayout = "2006-01-02T15:04:05.000Z"

// MarshalJSON writes the JavaScript Date form.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(jsDateLayout) + `"`), nil
}

// UnmarshalJSON accepts RFC 3339 timestamps (with or without fractional seconds).
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		t.Time = time.Time{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return fmt.Errorf("model.Time: not a JSON string: %s", s)
	}
	v, err := time.Parse(time.RFC3339Nano, s[1:len(s)-1])
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// Scan implements sql.Scanner.
func (t *Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = v
	default:
		return fmt.Errorf("model.Time: cannot scan %T", src)
	}
	return nil
}

// Value implements driver.Valuer; the zero Time is NULL.
func (t Time) Value() (driver.Value, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.Time, nil
}
