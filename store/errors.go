package store

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gorgon-commerce/gorgon/store/totals"
)

// ErrorType is Medusa's MedusaError type. rest/ maps it to an HTTP status and graph/ to a
// userError code in one place each.
type ErrorType string

// Medusa's error types (medusa-core-utils MedusaError.Types).
const (
	NotFound        ErrorType = "not_found"
	InvalidData     ErrorType = "invalid_data"
	NotAllowed      ErrorType = "not_allowed"
	DuplicateError  ErrorType = "duplicate_error"
	Conflict        ErrorType = "conflict"
	Unauthorized    ErrorType = "unauthorized"
	UnexpectedState ErrorType = "unexpected_state"
	DBError         ErrorType = "database_error"
)

// Error is the one error type the store returns for anything a client did or may see. Message is
// safe to show; anything else (a wrapped driver error) stays in logs.
type Error struct {
	Type    ErrorType
	Message string
	Code    string // optional Medusa error code, e.g. "invalid_request_error"
	// Field names the input field at fault, when there is one (GraphQL userErrors.field).
	Field []string
	// RetryAfter, when set, says the request was refused for now and may be retried after it
	// (a throttled login): rest answers 429 with a Retry-After header.
	RetryAfter time.Duration
	err        error
}

func (e *Error) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Type, e.Message, e.err)
	}
	return fmt.Sprintf("%s: %s", e.Type, e.Message)
}

func (e *Error) Unwrap() error { return e.err }

// Errorf builds a client-visible store error.
func Errorf(t ErrorType, format string, args ...any) *Error {
	return &Error{Type: t, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf is the common "X with id Y was not found" error.
func NotFoundf(format string, args ...any) *Error { return Errorf(NotFound, format, args...) }

// Invalidf is an invalid_data error.
func Invalidf(format string, args ...any) *Error { return Errorf(InvalidData, format, args...) }

// AsError returns the store Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// IsNotFound reports whether err is a not_found store error.
func IsNotFound(err error) bool {
	e, ok := AsError(err)
	return ok && e.Type == NotFound
}

// IsDatabaseFailure reports whether err is a failure of the database or its connection rather
// than a refusal the store words for clients: its message may hold SQL, values or addresses, so
// adapters log it and answer a bare internal error.
func IsDatabaseFailure(err error) bool {
	if _, ok := AsError(err); ok {
		return false
	}
	var pg *pgconn.PgError
	var conn *pgconn.ConnectError
	return errors.As(err, &pg) || errors.As(err, &conn) || pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}

// dbError turns PostgreSQL errors that a client caused into store errors, so a duplicate key is a
// 422 duplicate_error (Medusa lets it surface as a 500) and a serialization failure a 409.
// Anything else is returned wrapped and becomes a 500 without details (a 503 when the database
// could not be reached: IsUnavailable).
func dbError(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := AsError(err); ok {
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505": // unique_violation
			return &Error{Type: DuplicateError, Message: duplicateMessage(pg), err: err}
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return &Error{Type: Conflict, Message: "The request conflicted with another request.", err: err}
		case "23503": // foreign_key_violation
			return &Error{Type: InvalidData, Message: "A referenced resource does not exist or is still in use", err: err}
		case "22P02": // invalid_text_representation (enum, number)
			return &Error{Type: InvalidData, Message: "Invalid value", err: err}
		// Input the request checks let through but the columns cannot hold (Medusa answers
		// these with a 500): a client's mistake, so a 400.
		case "54000": // program_limit_exceeded: a value too long for its index
			return &Error{Type: InvalidData, Message: "A value is too long to be stored", err: err}
		case "22003": // numeric_value_out_of_range
			return &Error{Type: InvalidData, Message: "A number is out of range", err: err}
		case "22008", "22009": // datetime_field_overflow, invalid_time_zone_displacement_value
			return &Error{Type: InvalidData, Message: "A date is out of range", err: err}
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// duplicateMessage follows Medusa's wording for duplicate key errors where it has one, e.g.
// `Key (email)=(a@b.c) already exists.`
func duplicateMessage(pg *pgconn.PgError) string {
	if pg.Detail != "" {
		return pg.Detail
	}
	return "A resource with the same unique value already exists"
}

// formatDBError words constraint violations like Medusa's formatException, which its product
// and collection services apply ("Product with handle x already exists." as a duplicate_error,
// "Product_variant with variant_id x does not exist." as not_found); Gorgon applies it to
// variants, prices and price lists too, where Medusa answers a 500. Anything else goes to dbError.
func formatDBError(err error, what string) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.TableName != "" {
		switch pg.Code {
		case "23505":
			if len(pg.Detail) > 4 {
				detail := strings.NewReplacer("(", "", ")", "", "=", " ").Replace(pg.Detail[4:])
				return &Error{Type: DuplicateError, Message: upperFirst(pg.TableName) + " with " + detail, err: err}
			}
		case "23503":
			if m := fkDetail.FindStringSubmatch(pg.Detail); m != nil {
				return &Error{Type: NotFound, Message: fmt.Sprintf("%s with %s %s does not exist.", upperFirst(m[3]), m[1], m[2]), err: err}
			}
		}
	}
	return dbError(err, what)
}

var fkDetail = regexp.MustCompile(`^Key \((.+?)\)=\((.*)\) is not present in table "(.+)"\.?$`)

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// totalsErr turns an error of the totals package (which cannot import store) into the store
// Error of the same Medusa type and message, for the store functions that price orders and carts
// to return; other errors pass unchanged.
func totalsErr(err error) error {
	var te *totals.Error
	if errors.As(err, &te) {
		return &Error{Type: ErrorType(te.Type), Message: te.Message, err: err}
	}
	return err
}
