package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// SessionTTL is how long an admin session lasts: Medusa's session JWT expires after 24h.
const SessionTTL = 24 * time.Hour

// CreateSession starts a server-side session for a user and returns its id (the value behind the
// connect.sid cookie). Sessions live in gorgon.session so they survive restarts, are shared by
// every instance on the database, and end for good on logout.
func (s *Store) CreateSession(ctx context.Context, userID string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	sid := base64.RawURLEncoding.EncodeToString(b)
	_, err := s.DB.NewRaw(`INSERT INTO gorgon.session (id, user_id, expires_at) VALUES (?, ?, ?)`,
		sid, userID, time.Now().Add(SessionTTL)).Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return sid, nil
}

// SessionUser returns the live user of an unexpired session.
func (s *Store) SessionUser(ctx context.Context, sid string) (*model.User, error) {
	u := new(model.User)
	err := s.DB.NewSelect().Model(u).
		Join(`JOIN gorgon.session AS s ON s.user_id = "user".id`).
		Where("s.id = ? AND s.expires_at > now()", sid).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(Unauthorized, "Unauthorized")
	}
	if err != nil {
		return nil, fmt.Errorf("session user: %w", err)
	}
	return u, nil
}

// DeleteSession ends a session (logout); expired sessions are swept at the same time.
func (s *Store) DeleteSession(ctx context.Context, sid string) error {
	_, err := s.DB.NewRaw(`DELETE FROM gorgon.session WHERE id = ? OR expires_at < now()`, sid).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}
