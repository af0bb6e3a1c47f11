package graph

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// A resolver whose statement could not reach the database tells the client so, with a code it
// can retry on, and nothing of the driver's message.
func TestPresentUnavailable(t *testing.T) {
	err := fmt.Errorf("list regions: %w", &pgconn.ConnectError{})
	got := presentError(context.Background(), err)
	if got.Message != "The database is unavailable. Retry the request shortly." ||
		got.Extensions["code"] != "DATABASE_UNAVAILABLE" || got.Extensions["retryAfterSeconds"] != 2 {
		t.Fatalf("got %+v", got)
	}
}
