package model

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// FlaggedID is a nullable id column that exists only behind a Medusa feature flag:
// store.default_sales_channel_id, cart.sales_channel_id and order.sales_channel_id, which
// Medusa's sales_channels migration adds. Medusa declares such a property with
// @FeatureFlagColumn: while the flag is off it is no column of the entity, TypeORM never reads
// it, and the property is absent from the JSON, not null. FlaggedID mirrors that: Read is set
// when the column was scanned (NULL included), and a field that was never read is a zero value
// that `omitzero` leaves out of the JSON. The store decides whether the column is read (see
// store/flagged_schema.go).
type FlaggedID struct {
	ID   *string
	Read bool
}

// FlaggedIDOf returns a read FlaggedID holding id (nil for NULL).
func FlaggedIDOf(id *string) FlaggedID { return FlaggedID{ID: id, Read: true} }

// IsZero reports whether the column was not read, for `omitzero`.
func (f FlaggedID) IsZero() bool { return !f.Read }

// MarshalJSON writes the id or null.
func (f FlaggedID) MarshalJSON() ([]byte, error) { return json.Marshal(f.ID) }

// UnmarshalJSON reads an id or null; either way the column counts as read.
func (f *FlaggedID) UnmarshalJSON(b []byte) error {
	f.Read = true
	return json.Unmarshal(b, &f.ID)
}

// Scan implements sql.Scanner.
func (f *FlaggedID) Scan(src any) error {
	f.Read = true
	switch v := src.(type) {
	case nil:
		f.ID = nil
	case string:
		f.ID = &v
	case []byte:
		s := string(v)
		f.ID = &s
	default:
		return fmt.Errorf("model.FlaggedID: cannot scan %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (f FlaggedID) Value() (driver.Value, error) {
	if f.ID == nil {
		return nil, nil
	}
	return *f.ID, nil
}
