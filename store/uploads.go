package store

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/gorgon-commerce/gorgon/store/filestore"
)

// Upload is one stored file as Medusa's file services report it.
type Upload struct {
	URL string `json:"url"`
	Key string `json:"key"`
}

// UploadFile is one file of an upload request.
type UploadFile struct {
	Name        string
	ContentType string
	Open        func() (io.ReadCloser, error)
}

// errNoFileService is what Medusa answers when no file plugin is installed.
func errNoFileService() error {
	return Errorf(UnexpectedState, "Please add a file service plugin in order to manipulate files in Medusa")
}

// UploadFiles stores the files in order. A file that fails leaves the ones stored before it, as
// Medusa's uploads do (there is no transaction around a file service).
func (s *Store) UploadFiles(ctx context.Context, files []UploadFile) ([]Upload, error) {
	if s.Files == nil {
		return nil, errNoFileService()
	}
	out := make([]Upload, 0, len(files))
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return nil, Invalidf("could not read the uploaded file %s", f.Name)
		}
		url, key, err := s.Files.Upload(ctx, f.Name, f.ContentType, rc)
		rc.Close()
		if err != nil {
			return nil, fileError(err, f.Name, "upload file")
		}
		out = append(out, Upload{URL: url, Key: key})
	}
	return out, nil
}

// DeleteFile removes an uploaded file; a missing file is not an error.
func (s *Store) DeleteFile(ctx context.Context, key string) error {
	if s.Files == nil {
		return errNoFileService()
	}
	return fileError(s.Files.Delete(ctx, key), key, "delete file")
}

// FileDownloadURL returns a signed, time-limited URL of an uploaded file.
func (s *Store) FileDownloadURL(ctx context.Context, key string) (string, error) {
	if s.Files == nil {
		return "", errNoFileService()
	}
	u, err := s.Files.DownloadURL(ctx, key)
	return u, fileError(err, key, "file download url")
}

// fileError turns the file store's errors into client errors; anything else is a 500.
func fileError(err error, key, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, filestore.ErrInvalidKey):
		return Invalidf("file_key is not a valid file key")
	case errors.Is(err, filestore.ErrNotFound):
		return NotFoundf("File with key: %s was not found", key)
	}
	return fmt.Errorf("%s: %w", what, err)
}
