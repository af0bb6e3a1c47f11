package rest

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gorgon-commerce/gorgon/store"
)

// writeJSON writes v as the response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Warn("write response", "err", err)
	}
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
	var se *store.Error
	if !errors.As(err, &se) {
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
