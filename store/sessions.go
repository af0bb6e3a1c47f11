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
	if u, ok := s.auth.get(true, sid); ok {
		return u, nil
	}
	gen := s.auth.begin()
	var row struct {
		model.User       `bun:",extend"`
		SessionExpiresAt time.Time `bun:"session_expires_at,scanonly"`
	}
	err := s.DB.NewSelect().Model(&row).ColumnExpr(`"user".*`).ColumnExpr("s.expires_at AS session_expires_at").
		Join(`JOIN gorgon.session AS s ON s.user_id = "user".id`).
		Where("s.id = ? AND s.expires_at > now()", sid).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(Unauthorized, "Unauthorized")
	}
	if err != nil {
		return nil, fmt.Errorf("session user: %w", err)
	}
	u := &row.User
	s.auth.put(true, sid, u, row.SessionExpiresAt, gen)
	return u, nil
}

// DeleteSession ends a session (logout); expired sessions are swept at the same time.
func (s *Store) DeleteSession(ctx context.Context, sid string) error {
	// One statement: the deletion and the notification that makes every instance forget it.
	_, err := s.DB.NewRaw(`WITH d AS (DELETE FROM gorgon.session WHERE id = ? OR expires_at < now())
		SELECT pg_notify(?, '')`, sid, authChannel).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	s.auth.flush()
	return nil
}
