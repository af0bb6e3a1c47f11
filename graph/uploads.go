package graph

import (
	"context"
	"io"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/store"
)

// uploadFiles stores the files of a GraphQL multipart request (graph/server accepts multipart
// only with an Apollo-Require-Preflight header); gqlgen has already read them (to memory or
// temporary files, within the server's upload limit).
func (r *Resolver) uploadFiles(ctx context.Context, files []*graphql.Upload) (*gqlmodel.UploadFilesPayload, error) {
	in := make([]store.UploadFile, len(files))
	for i, f := range files {
		in[i] = store.UploadFile{Name: f.Filename, ContentType: f.ContentType,
			Open: func() (io.ReadCloser, error) { return io.NopCloser(f.File), nil }}
	}
	uploads, err := r.Store.UploadFiles(ctx, in)
	ue, err := payloadErrors(err)
	if err != nil || len(ue) > 0 {
		return &gqlmodel.UploadFilesPayload{UserErrors: ue}, err
	}
	out := make([]*store.Upload, len(uploads))
	for i := range uploads {
		out[i] = &uploads[i]
	}
	return &gqlmodel.UploadFilesPayload{Uploads: out, UserErrors: ue}, nil
}

func (r *Resolver) deleteUpload(ctx context.Context, key string) (*gqlmodel.DeletePayload, error) {
	ue, err := payloadErrors(r.Store.DeleteFile(ctx, key))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(key, ue), UserErrors: ue}, err
}

func (r *Resolver) uploadDownloadURL(ctx context.Context, key string) (*gqlmodel.UploadDownloadURLPayload, error) {
	u, err := r.Store.FileDownloadURL(ctx, key)
	ue, err := payloadErrors(err)
	if err != nil || len(ue) > 0 {
		return &gqlmodel.UploadDownloadURLPayload{UserErrors: ue}, err
	}
	return &gqlmodel.UploadDownloadURLPayload{DownloadURL: &u, UserErrors: ue}, nil
}
