// Package scalar holds the GraphQL scalars Gorgon adds: DateTime (ISO 8601 with milliseconds,
// like Medusa's REST timestamps) and JSON (metadata objects).
package scalar

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// MarshalDateTime writes a model.Time as an ISO 8601 string (UTC, milliseconds).
func MarshalDateTime(t model.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		b, _ := t.MarshalJSON()
		_, _ = w.Write(b)
	})
}

// UnmarshalDateTime reads an RFC 3339 string.
func UnmarshalDateTime(v any) (model.Time, error) {
	s, ok := v.(string)
	if !ok {
		return model.Time{}, fmt.Errorf("DateTime must be an RFC 3339 string")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return model.Time{}, fmt.Errorf("DateTime must be an RFC 3339 string: %w", err)
	}
	return model.Time{Time: t}, nil
}

// MarshalJSON writes any JSON value.
func MarshalJSON(v map[string]any) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		if v == nil {
			_, _ = io.WriteString(w, "null")
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			_, _ = io.WriteString(w, strconv.Quote(err.Error()))
			return
		}
		_, _ = w.Write(b)
	})
}

// UnmarshalJSON accepts a JSON object.
func UnmarshalJSON(v any) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("JSON must be an object")
	}
	return m, nil
}
