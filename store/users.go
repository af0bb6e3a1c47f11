package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/password"
)

// UserRoles are Medusa's user_role_enum values.
var UserRoles = []string{"admin", "member", "developer"}

// ValidRole reports whether r is one of UserRoles.
func ValidRole(r string) bool {
	for _, v := range UserRoles {
		if v == r {
			return true
		}
	}
	return false
}

// ListUsers returns every live user, in Medusa's order (userListOrder).
func (s *Store) ListUsers(ctx context.Context) ([]*model.User, error) {
	users := []*model.User{}
	if err := s.DB.NewSelect().Model(&users).OrderExpr(userListOrder).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// GetUser returns a live user by id.
func (s *Store) GetUser(ctx context.Context, id string) (*model.User, error) {
	return getUser(ctx, s.DB, id)
}

func getUser(ctx context.Context, db bun.IDB, id string) (*model.User, error) {
	u := new(model.User)
	err := db.NewSelect().Model(u).Where(`"user".id = ?`, id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("User with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get user %s: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns a live user by email (case-insensitively, as Medusa lower-cases).
func (s *Store) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	u := new(model.User)
	err := s.DB.NewSelect().Model(u).Where(`"user".email = ?`, strings.ToLower(email)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("User with email: %s was not found", email)
	}
	if err != nil {
		return nil, fmt.Errorf("get user by email: %w", err)
	}
	return u, nil
}

// UserByAPIToken authenticates a bearer token. Unlike Medusa in development mode, a user id is
// never accepted as a token.
func (s *Store) UserByAPIToken(ctx context.Context, token string) (*model.User, error) {
	if token == "" {
		return nil, Errorf(Unauthorized, "Unauthorized")
	}
	if u, ok := s.auth.get(false, token); ok {
		return u, nil
	}
	gen := s.auth.begin()
	u := new(model.User)
	err := s.DB.NewSelect().Model(u).Where(`"user".api_token = ?`, token).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(Unauthorized, "Unauthorized")
	}
	if err != nil {
		return nil, fmt.Errorf("get user by api token: %w", err)
	}
	s.auth.put(false, token, u, time.Time{}, gen)
	return u, nil
}

// CreateUserInput is Medusa's AdminCreateUserRequest.
type CreateUserInput struct {
	ID        string // optional, as `medusa user --id`
	Email     string
	FirstName *string
	LastName  *string
	Role      *string
	Password  string
	APIToken  *string
	Metadata  map[string]any
}

// CreateUser creates an admin user with a hashed password and emits user.created.
func (s *Store) CreateUser(ctx context.Context, in CreateUserInput) (*model.User, error) {
	return s.createUserThen(ctx, in, nil)
}

// createUserThen creates a user and runs then in the same transaction.
func (s *Store) createUserThen(ctx context.Context, in CreateUserInput, then func(context.Context, bun.Tx) error) (*model.User, error) {
	var v Violations
	v.Add(!IsEmail(in.Email), "email", "email must be an email")
	v.Add(in.Role != nil && !ValidRole(*in.Role), "role", "role must be a valid enum value")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if in.ID == "" {
		in.ID = NewID("usr")
	}
	u := &model.User{
		ID:        in.ID,
		Email:     strings.ToLower(in.Email),
		FirstName: in.FirstName,
		LastName:  in.LastName,
		Role:      in.Role,
		APIToken:  in.APIToken,
		Metadata:  in.Metadata,
	}
	if u.Role == nil {
		r := "member"
		u.Role = &r
	}
	if in.Password != "" {
		h, err := s.Passwords.Hash(ctx, in.Password)
		if err != nil {
			return nil, fmt.Errorf("hash password: %w", err)
		}
		u.PasswordHash = &h
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*model.User)(nil)).Where("email = ?", u.Email).Count(ctx)
		if err != nil {
			return fmt.Errorf("check email: %w", err)
		}
		if n > 0 {
			return Errorf(DuplicateError, "A user with the same email already exists.")
		}
		if _, err := tx.NewInsert().Model(u).Returning("*").Exec(ctx); err != nil {
			return dbError(err, "insert user")
		}
		if then != nil {
			if err := then(ctx, tx); err != nil {
				return err
			}
		}
		return emit(ctx, tx, "user.created", map[string]any{"id": u.ID})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUserInput is Medusa's AdminUpdateUserRequest.
type UpdateUserInput struct {
	FirstName *string
	LastName  *string
	Role      *string
	APIToken  *string
	Metadata  map[string]any
}

// UpdateUser changes a user's profile fields; metadata is merged.
func (s *Store) UpdateUser(ctx context.Context, id string, in UpdateUserInput) (*model.User, error) {
	u, _, err := s.UpdateUserSaved(ctx, id, in)
	return u, err
}

// UpdateUserSaved is UpdateUser that also reports whether a column changed. As with Medusa's
// TypeORM save, a user is written (and updated_at moves) only when a value differs from the
// stored one: {} or the same values change nothing (user.updated is emitted either way).
func (s *Store) UpdateUserSaved(ctx context.Context, id string, in UpdateUserInput) (*model.User, bool, error) {
	var v Violations
	v.Add(in.Role != nil && !ValidRole(*in.Role), "role", "role must be a valid enum value")
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	var u *model.User
	saved := false
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = lockUser(ctx, tx, id); err != nil {
			return err
		}
		set := func(dst **string, v *string) {
			if v != nil && (*dst == nil || **dst != *v) {
				*dst, saved = v, true
			}
		}
		set(&u.FirstName, in.FirstName)
		set(&u.LastName, in.LastName)
		set(&u.Role, in.Role)
		set(&u.APIToken, in.APIToken)
		if in.Metadata != nil {
			m := mergeMetadata(u.Metadata, in.Metadata)
			if u.Metadata == nil || !reflect.DeepEqual(m, u.Metadata) {
				u.Metadata, saved = m, true
			}
		}
		if saved {
			u.UpdatedAt = model.Now()
			if _, err := tx.NewUpdate().Model(u).WherePK().Exec(ctx); err != nil {
				return dbError(err, "update user")
			}
		}
		if saved {
			if err := notifyAuthChanged(ctx, tx); err != nil {
				return fmt.Errorf("update user: %w", err)
			}
		}
		return emit(ctx, tx, "user.updated", map[string]any{"id": u.ID})
	})
	if saved && err == nil {
		s.auth.flush()
	}
	return u, saved, err
}

// lockUser reads a live user FOR UPDATE so concurrent updates serialise instead of losing writes.
func lockUser(ctx context.Context, tx bun.Tx, id string) (*model.User, error) {
	u := new(model.User)
	err := tx.NewSelect().Model(u).Where(`"user".id = ?`, id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("User with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock user %s: %w", id, err)
	}
	return u, nil
}

// DeleteUser soft-deletes a user and ends their sessions; deleting a missing user succeeds, as in
// Medusa (delete is idempotent).
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	defer s.auth.flush()
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*model.User)(nil)).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := tx.NewRaw(`DELETE FROM gorgon.session WHERE user_id = ?`, id).Exec(ctx); err != nil {
			return fmt.Errorf("delete user sessions: %w", err)
		}
		if err := notifyAuthChanged(ctx, tx); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		return emit(ctx, tx, "user.deleted", map[string]any{"id": id})
	})
}

// Authenticate checks an email and password for a login from client (the zero Addr when the
// address is unknown). Failures are throttled per email and per address (s.Logins): a refused
// attempt is a not_allowed error with RetryAfter, answered before any database read or password
// check, and a success clears the email's failures. A hash weaker than today's parameters (every
// hash Medusa wrote) is replaced by a strong one on success; the format stays Medusa's.
func (s *Store) Authenticate(ctx context.Context, email, pass string, client netip.Addr) (*model.User, error) {
	tk, err := s.Logins.begin(email, client)
	if err != nil {
		return nil, err
	}
	u, err := s.checkPassword(ctx, email, pass)
	switch e, _ := AsError(err); {
	case err == nil:
		tk.done(loginSucceeded)
	case e != nil && e.Type == Unauthorized:
		tk.done(loginFailed)
	default: // cancelled while waiting for the hasher, or a database error: nothing was decided
		tk.done(loginAborted)
	}
	return u, err
}

// checkPassword is Authenticate without the throttle.
func (s *Store) checkPassword(ctx context.Context, email, pass string) (*model.User, error) {
	u, err := s.UserByEmail(ctx, email)
	if IsNotFound(err) {
		return nil, Errorf(Unauthorized, "Invalid email or password")
	}
	if err != nil {
		return nil, err
	}
	if u.PasswordHash == nil {
		return nil, Errorf(Unauthorized, "Invalid email or password")
	}
	ok, err := s.Passwords.Verify(ctx, *u.PasswordHash, pass)
	if errors.Is(err, password.ErrMalformed) {
		// A hash nobody can check (Medusa's own login fails on it too): a wrong password.
		return nil, Errorf(Unauthorized, "Invalid email or password")
	}
	if err != nil {
		return nil, fmt.Errorf("verify password: %w", err)
	}
	if !ok {
		return nil, Errorf(Unauthorized, "Invalid email or password")
	}
	if password.NeedsRehash(*u.PasswordHash) {
		// The upgrade is best effort: if no new hash can be made now, the next login tries again.
		if h, err := s.Passwords.Hash(ctx, pass); err == nil {
			// Compare-and-set on the old hash: a concurrent password change wins.
			_, err = s.DB.NewUpdate().Model((*model.User)(nil)).Set("password_hash = ?", h).
				Where("id = ? AND password_hash = ?", u.ID, *u.PasswordHash).Exec(ctx)
			if err != nil {
				return nil, fmt.Errorf("upgrade password hash: %w", err)
			}
			u.PasswordHash = &h
		}
	}
	return u, nil
}

// resetClaims is the payload of Medusa's password reset token.
type resetClaims struct {
	UserID string `json:"user_id"`
	Email  string `json:"email"`
	jwt.RegisteredClaims
}

// CreatePasswordResetToken issues Medusa's reset token: a JWT signed (HS256) with the user's
// current password hash, valid 15 minutes, so it dies as soon as the password changes. The token
// leaves only through the user.password_reset event (for a notification provider to send).
func (s *Store) CreatePasswordResetToken(ctx context.Context, email string) (string, error) {
	var v Violations
	v.Add(!IsEmail(email), "email", "email must be an email")
	if err := v.Err(); err != nil {
		return "", err
	}
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	secret := ""
	if u.PasswordHash != nil {
		secret = *u.PasswordHash
	}
	claims := resetClaims{UserID: u.ID, Email: u.Email, RegisteredClaims: jwt.RegisteredClaims{
		ExpiresAt: jwt.NewNumericDate(time.Now().Add(15 * time.Minute)),
		IssuedAt:  jwt.NewNumericDate(time.Now()),
	}}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		return "", fmt.Errorf("sign reset token: %w", err)
	}
	if err := emit(ctx, s.DB, "user.password_reset", map[string]any{"email": u.Email, "token": token}); err != nil {
		return "", err
	}
	return token, nil
}

// ResetPassword sets a new password from a reset token. email is optional: the token's own email
// is used when absent, as in Medusa.
func (s *Store) ResetPassword(ctx context.Context, email *string, token, newPassword string) (*model.User, error) {
	var v Violations
	v.Add(email != nil && !IsEmail(*email), "email", "email must be an email")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var unverified resetClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &unverified); err != nil {
		return nil, Invalidf("invalid token")
	}
	addr := unverified.Email
	if email != nil {
		addr = *email
	}
	u, err := s.UserByEmail(ctx, addr)
	if err != nil || u.PasswordHash == nil {
		return nil, Invalidf("invalid token")
	}
	var claims resetClaims
	_, err = jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return []byte(*u.PasswordHash), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
	if err != nil || claims.UserID != u.ID {
		return nil, Errorf(Unauthorized, "Invalid or expired password reset token")
	}
	h, err := s.Passwords.Hash(ctx, newPassword)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	err = s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// The token is single-use: it was signed with the old hash, which this update replaces.
		res, err := tx.NewUpdate().Model((*model.User)(nil)).Set("password_hash = ?", h).Set("updated_at = now()").
			Where("id = ? AND password_hash = ?", u.ID, *u.PasswordHash).Exec(ctx)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(Unauthorized, "Invalid or expired password reset token")
		}
		// A password change ends every existing session, on every instance.
		if _, err = tx.NewRaw(`DELETE FROM gorgon.session WHERE user_id = ?`, u.ID).Exec(ctx); err != nil {
			return err
		}
		return notifyAuthChanged(ctx, tx)
	})
	s.auth.flush()
	if err != nil {
		return nil, err
	}
	return s.GetUser(ctx, u.ID)
}

// UsersByIDs returns the live users with the given ids, keyed by id (one query, for dataloaders).
func (s *Store) UsersByIDs(ctx context.Context, ids []string) (map[string]*model.User, error) {
	var users []*model.User
	if err := s.DB.NewSelect().Model(&users).Where(`"user".id IN (?)`, bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("users by ids: %w", err)
	}
	out := make(map[string]*model.User, len(users))
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}

// ListUsersPage is ListUsers with offset paging and a total (GraphQL connections).
func (s *Store) ListUsersPage(ctx context.Context, p Page) ([]*model.User, int, error) {
	users := []*model.User{}
	q, err := s.applyWhere(s.DB.NewSelect().Model(&users), "user", p.Where)
	if err != nil {
		return nil, 0, err
	}
	n, err := q.OrderExpr(`"user".created_at ASC, "user".id ASC`).
		Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	return users, int(n), nil
}
