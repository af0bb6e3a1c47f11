package server

import (
	"encoding/json"
	"net/http"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// requestError is the body of a request refused before any operation ran: GraphQL's
// response shape without "data", as GraphQL over HTTP answers request errors.
type requestError struct {
	Errors gqlerror.List `json:"errors"`
}

// writeError answers status with a single GraphQL error carrying code in its extensions.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, err := json.Marshal(requestError{Errors: gqlerror.List{{
		Message:    message,
		Extensions: map[string]any{"code": code},
	}}})
	if err != nil {
		// Marshalling a string and a map of strings cannot fail.
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
