package rest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/uploads", a.createUploads)
		r.Delete("/uploads", a.deleteUpload)
		r.Post("/uploads/download-url", a.uploadDownloadURL)
	})
}

// maxUploadBytes bounds one upload request (all its files). Medusa's multer has no limit; an
// unbounded body would let one request fill the disk.
const maxUploadBytes = 64 << 20

// uploadMemory is how much of an upload is kept in memory; the rest goes to temporary files.
const uploadMemory = 8 << 20

// POST /admin/uploads: multipart/form-data with the files in the field "files" (multer's
// upload.array("files")), answered {uploads: [{url, key}]} in the order sent.
func (a *API) createUploads(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// Medusa's multer skips such a body and the handler fails on the missing files (a 500).
		writeError(w, r, store.Invalidf("files must be sent as multipart/form-data"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, r, store.Invalidf("request body is too large"))
			return
		}
		writeError(w, r, store.Invalidf("could not read the multipart body"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	for field := range r.MultipartForm.File {
		if field != "files" {
			// multer's LIMIT_UNEXPECTED_FILE, which Medusa answers with a 500.
			writeError(w, r, store.Invalidf("Unexpected field"))
			return
		}
	}
	headers := r.MultipartForm.File["files"]
	files := make([]store.UploadFile, len(headers))
	for i, fh := range headers {
		files[i] = store.UploadFile{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"),
			Open: func() (io.ReadCloser, error) { return fh.Open() }}
	}
	uploads, err := a.store.UploadFiles(r.Context(), files)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"uploads": uploads})
}

// fileKeyRequest is Medusa's AdminDeleteUploadsReq and AdminPostUploadsDownloadUrlReq.
type fileKeyRequest struct {
	FileKey json.RawMessage `json:"file_key"`
}

func decodeFileKey(r *http.Request) (string, error) {
	var in fileKeyRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		return "", err
	}
	key, _ := cvString(&v, "file_key", in.FileKey, true)
	if err := v.Err(); err != nil {
		return "", err
	}
	return *key, nil
}

// DELETE /admin/uploads {file_key}
func (a *API) deleteUpload(w http.ResponseWriter, r *http.Request) {
	key, err := decodeFileKey(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := a.store.DeleteFile(r.Context(), key); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: key, Object: "file", Deleted: true})
}

// POST /admin/uploads/download-url {file_key}: a signed URL that works without credentials for
// a limited time.
func (a *API) uploadDownloadURL(w http.ResponseWriter, r *http.Request) {
	key, err := decodeFileKey(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	u, err := a.store.FileDownloadURL(r.Context(), key)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"download_url": u})
}

// MountUploads serves the uploaded files of s.Files at GET /uploads/<key> on r (outside /admin:
// product images are shown to shoppers; download URLs carry their own signature). It serves
// whatever file store s.Files is when a request comes, if that store serves files itself (the
// local-disk one does); otherwise it answers 404.
func MountUploads(r chi.Router, s *store.Store) {
	h := http.StripPrefix("/uploads", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		files, ok := s.Files.(http.Handler)
		if !ok {
			notFound(w, req)
			return
		}
		files.ServeHTTP(w, req)
	}))
	r.Get("/uploads/*", h.ServeHTTP)
	r.Head("/uploads/*", h.ServeHTTP)
}
