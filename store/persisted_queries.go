package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/uptrace/bun"
)

// PersistedDocument is a GraphQL document registered under the SHA-256 of its exact text
// (what Apollo's persisted queries and graphql-codegen's persisted documents send as the hash).
type PersistedDocument struct {
	Hash string
	Name string
	Body string
}

// HashDocument is the registry key of a document: the lowercase hex SHA-256 of its text.
func HashDocument(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// ParsePersistedDocuments reads the documents a client's build wrote, in either format:
// Apollo's persisted query manifest ({"format":"apollo-persisted-query-manifest","operations":
// [{"id","name","type","body"}]}) or graphql-codegen's persisted documents ({"<hash>": "<body>"}).
// Every hash must be the SHA-256 of its body: a client that hashed otherwise would never match.
func ParsePersistedDocuments(data []byte) ([]PersistedDocument, error) {
	var manifest struct {
		Format     string `json:"format"`
		Operations []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			Body string `json:"body"`
		} `json:"operations"`
	}
	var docs []PersistedDocument
	if err := json.Unmarshal(data, &manifest); err == nil && manifest.Format != "" {
		if manifest.Format != "apollo-persisted-query-manifest" {
			return nil, Invalidf("unknown manifest format %q", manifest.Format)
		}
		for _, op := range manifest.Operations {
			docs = append(docs, PersistedDocument{Hash: op.ID, Name: op.Name, Body: op.Body})
		}
	} else {
		var flat map[string]string
		if err := json.Unmarshal(data, &flat); err != nil {
			return nil, Invalidf("not a persisted query manifest nor a map of hashes to documents: %v", err)
		}
		for hash, body := range flat {
			docs = append(docs, PersistedDocument{Hash: hash, Body: body})
		}
		sort.Slice(docs, func(i, j int) bool { return docs[i].Hash < docs[j].Hash })
	}
	for i := range docs {
		// graphql-codegen's client preset writes "sha256:<hex>" ids (and sends them so).
		docs[i].Hash = strings.TrimPrefix(docs[i].Hash, "sha256:")
		d := docs[i]
		if d.Body == "" {
			return nil, Invalidf("document %s has no body", d.Hash)
		}
		if HashDocument(d.Body) != d.Hash {
			return nil, Invalidf("document %s: the hash is not the SHA-256 of its body", d.Hash)
		}
	}
	return docs, nil
}

// RegisterPersistedDocuments adds documents to the registry, all or none; registering a
// document again keeps it (the hash says it is the same text) and takes the newer name.
func (s *Store) RegisterPersistedDocuments(ctx context.Context, docs []PersistedDocument) error {
	if len(docs) == 0 {
		return nil
	}
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for _, d := range docs {
			var name *string
			if d.Name != "" {
				name = &d.Name
			}
			_, err := tx.NewRaw(`INSERT INTO gorgon.persisted_query (hash, name, body) VALUES (?, ?, ?)
				ON CONFLICT (hash) DO UPDATE SET name = COALESCE(EXCLUDED.name, persisted_query.name)`,
				d.Hash, name, d.Body).Exec(ctx)
			if err != nil {
				return fmt.Errorf("register persisted document %s: %w", d.Hash, err)
			}
		}
		return nil
	})
}

// PersistedDocument returns the registered document with that hash (hex, or "sha256:"+hex).
func (s *Store) PersistedDocument(ctx context.Context, hash string) (string, bool, error) {
	hash = strings.TrimPrefix(hash, "sha256:")
	var body string
	err := s.DB.NewRaw(`SELECT body FROM gorgon.persisted_query WHERE hash = ?`, hash).Scan(ctx, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read persisted document %s: %w", hash, err)
	}
	return body, true, nil
}
