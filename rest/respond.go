package rest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gorgon-commerce/gorgon/store"
)

// writeJSON writes v as the response body with status: what json.NewEncoder(w).Encode(v)
// wrote, streamed in chunks by the response encoder (jsonenc.go).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	e := encoderPool.Get().(*encoder)
	e.w, e.buf, e.err = w, e.buf[:0], nil
	e.value(reflect.ValueOf(v), false, nil)
	e.buf = append(e.buf, '\n')
	e.flush()
	if e.err != nil {
		slog.Warn("write response", "err", e.err)
	}
	e.w = nil
	if cap(e.buf) <= 4*chunkSize { // a buffer grown by one huge value is not kept
		encoderPool.Put(e)
	}
}

// encodeBytes is v as writeJSON writes it, without the newline.
func encodeBytes(v any) ([]byte, error) {
	e := &encoder{}
	e.value(reflect.ValueOf(v), false, nil)
	return e.buf, e.err
}

// errorBody is Medusa's error response body.
type errorBody struct {
	Code    string   `json:"code,omitempty"`
	Type    string   `json:"type"`
	Message string   `json:"message"`
	Errors  []string `json:"errors,omitempty"`
}

// statusError is an input error that Medusa's body parser answers with a transport status of
// its own (413 too large, 415 unsupported charset or encoding) instead of its type's.
type statusError struct {
	status int
	err    *store.Error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// multipleErrors is the answer of Medusa's existence checks that run before a handler
// (validateProductsExist, validateSalesChannelsExist): a 400 listing the problems in errors.
// Medusa's body carries only errors and message; Gorgon adds type invalid_data so that every
// error body has {type, message}, and keeps errors for Medusa's clients.
type multipleErrors []string

func (e multipleErrors) Error() string { return strings.Join(e, "; ") }

const multipleErrorsMessage = "Provided request body contains errors. Please check the data and retry the request"

const conflictMessage = "The request conflicted with another request. You may retry the request with the provided Idempotency-Key."

// writeError maps an error to Medusa's status and body; it is the only place that does so
// (Medusa's api/middlewares/error-handler). Unexpected errors are logged and answered as a bare
// 500 unknown_error: no internals leak.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var multi multipleErrors
	if errors.As(err, &multi) {
		writeJSON(w, http.StatusBadRequest, errorBody{Type: string(store.InvalidData), Message: multipleErrorsMessage, Errors: multi})
		return
	}
	if store.IsUnavailable(err) && !store.MayHaveWritten(r.Context()) {
		if retryRead(r) {
			return
		}
		// The store's availability hook logs the outage once; a line per request would flood
		// the log while every request fails the same way.
		slog.DebugContext(r.Context(), "request failed: database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(int(store.UnavailableRetryAfter/time.Second)))
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Code: "database_unavailable", Type: string(store.DBError), Message: store.ErrUnavailableMessage})
		return
	}
	var se *store.Error
	if !errors.As(err, &se) {
		if store.IsUnavailable(err) || errors.Is(err, store.ErrCommitUnknown) {
			// The database went away after a write was sent: it may be saved, so the client is
			// not told to retry (a 500, as Medusa answers any failure).
			slog.ErrorContext(r.Context(), "request failed after a write: its outcome is unknown", "method", r.Method, "path", r.URL.Path, "err", err)
			writeJSON(w, http.StatusInternalServerError, errorBody{Code: "unknown_error", Type: "unknown_error", Message: "An unknown error occurred."})
			return
		}
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			// The client went away (a browser abandons requests when it leaves a page): nobody
			// reads this answer and nothing failed on the server's side.
			slog.DebugContext(r.Context(), "request abandoned by the client", "method", r.Method, "path", r.URL.Path)
			w.WriteHeader(499) // nginx's "client closed request", for access logs
			return
		}
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{Code: "unknown_error", Type: "unknown_error", Message: "An unknown error occurred."})
		return
	}
	body := errorBody{Code: se.Code, Type: string(se.Type), Message: se.Message}
	status := http.StatusInternalServerError
	switch se.Type {
	case store.Conflict:
		status, body.Code, body.Message = http.StatusConflict, "invalid_state_error", conflictMessage
	case store.DuplicateError:
		status, body.Code = http.StatusUnprocessableEntity, "invalid_request_error"
	case store.NotAllowed, store.InvalidData:
		status = http.StatusBadRequest
	case store.NotFound:
		status = http.StatusNotFound
	case store.Unauthorized:
		// Medusa answers these with a bare text body (res.status(401).send(message)).
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(se.Message))
		return
	case store.DBError:
		body.Code = "api_error"
	case store.UnexpectedState:
	default:
		body = errorBody{Code: "unknown_error", Type: "unknown_error", Message: "An unknown error occurred."}
	}
	if st := (*statusError)(nil); errors.As(err, &st) {
		status = st.status
	}
	if se.RetryAfter > 0 {
		// Refused for now (a throttled login): Medusa's body, with the status and header HTTP
		// has for it. Whole seconds, rounded up, so a client waiting that long is let in.
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.FormatInt(int64((se.RetryAfter+time.Second-1)/time.Second), 10))
	}
	if status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, body)
}

// writeUnauthorized answers like Express's res.sendStatus(401), which Medusa's passport setup uses.
func writeUnauthorized(w http.ResponseWriter) {
	writeStatusText(w, http.StatusUnauthorized)
}

// writeStatusText is Express's res.sendStatus: the status and its text as a text/plain body.
func writeStatusText(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(http.StatusText(status)))
}

// deref returns *p, or the zero value for nil (absent input fields, which the store's checks
// then report in Medusa's words).
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
