package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// allowPost is the CSRF guard in front of every POST, and reports whether the request may
// go on to gqlgen. If not, it has already answered 400 (or 413) with a JSON error.
//
// The admin authenticates with a cookie session, so a page on another site could make the
// browser send an operation with the admin's cookie. Browsers send such requests without
// asking the server first (no CORS preflight) only when they are "simple": a GET, or a POST
// whose Content-Type is text/plain, application/x-www-form-urlencoded or
// multipart/form-data, without custom headers. This handler grants no cross-origin
// preflight, so an operation is only executed from a request no other site can forge:
//
//   - Content-Type: application/json (the GraphQL-over-HTTP request type): a cross-site
//     page cannot send it without a preflight.
//   - multipart/form-data (file uploads): only with a non-empty Apollo-Require-Preflight or
//     X-Apollo-Operation-Name header, which likewise forces a preflight. This follows
//     Apollo Server's CSRF prevention, so Apollo's upload link works as it is.
//   - anything else, including text/plain and form posts: refused, before execution.
func (s *server) allowPost(w http.ResponseWriter, r *http.Request) bool {
	contentType := r.Header.Get("Content-Type")
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = ""
	}
	switch mediaType {
	case "application/json":
		return s.readJSONBody(w, r)
	case "multipart/form-data":
		if r.Header.Get("Apollo-Require-Preflight") == "" && r.Header.Get("X-Apollo-Operation-Name") == "" {
			s.refuse(w, r, http.StatusBadRequest, "CSRF_PREVENTED",
				"multipart requests must carry a non-empty Apollo-Require-Preflight "+
					"(or X-Apollo-Operation-Name) header: without it, another site could "+
					"forge this request")
			return false
		}
		// gqlgen's multipart transport refuses this too, but with a 200.
		if r.ContentLength > s.opts.MaxUploadSize {
			s.refuse(w, r, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE",
				"request body exceeds "+strconv.FormatInt(s.opts.MaxUploadSize, 10)+" bytes")
			return false
		}
		return true
	default:
		s.refuse(w, r, http.StatusBadRequest, "CSRF_PREVENTED",
			"POST requests must have Content-Type: application/json "+
				"(or multipart/form-data with an Apollo-Require-Preflight header, for uploads); got "+
				strconv.Quote(contentType))
		return false
	}
}

func (s *server) refuse(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	s.opts.Logger.DebugContext(r.Context(), "graphql: request refused",
		"status", status, "code", code, "content_type", r.Header.Get("Content-Type"),
		"origin", r.Header.Get("Origin"))
	writeError(w, status, code, message)
}

// readJSONBody reads a JSON request body whole, up to MaxBodySize, and puts it back for
// the transports. Reading it here gives a body sent without Content-Length (chunked) the
// same 413 as one that announces its size; gqlgen's POST transport would answer a failed
// read with a 200.
func (s *server) readJSONBody(w http.ResponseWriter, r *http.Request) bool {
	tooLarge := func() bool {
		s.refuse(w, r, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE",
			"request body exceeds "+strconv.FormatInt(s.opts.MaxBodySize, 10)+" bytes")
		return false
	}
	if r.ContentLength > s.opts.MaxBodySize {
		return tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodySize))
	if err != nil {
		if isTooLarge(err) {
			return tooLarge()
		}
		s.refuse(w, r, http.StatusBadRequest, "BAD_REQUEST", "could not read request body")
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return true
}

// isTooLarge reports whether err comes from reading past http.MaxBytesReader's limit.
func isTooLarge(err error) bool {
	var maxErr *http.MaxBytesError
	return errors.As(err, &maxErr)
}
