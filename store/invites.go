package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// inviteValidity is how long an invite token is valid (Medusa: 7 days).
const inviteValidity = 7 * 24 * time.Hour

// inviteClaims is the payload of Medusa's invite token, signed with JWT_SECRET.
type inviteClaims struct {
	InviteID  string `json:"invite_id"`
	Role      string `json:"role"`
	UserEmail string `json:"user_email"`
	jwt.RegisteredClaims
}

func (s *Store) inviteToken(inv *model.Invite) (string, error) {
	if s.Config.JWTSecret == "" {
		return "", Invalidf("Please configure jwt_secret")
	}
	role := "member"
	if inv.Role != nil {
		role = *inv.Role
	}
	claims := inviteClaims{InviteID: inv.ID, Role: role, UserEmail: inv.UserEmail,
		RegisteredClaims: jwt.RegisteredClaims{IssuedAt: jwt.NewNumericDate(time.Now())}}
	t, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(s.Config.JWTSecret))
	if err != nil {
		return "", fmt.Errorf("sign invite token: %w", err)
	}
	return t, nil
}

// ListInvites returns every live invite, in Medusa's order (inviteListOrder).
func (s *Store) ListInvites(ctx context.Context) ([]*model.Invite, error) {
	invites := []*model.Invite{}
	if err := s.DB.NewSelect().Model(&invites).OrderExpr(inviteListOrder).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list invites: %w", err)
	}
	return invites, nil
}

// CreateInvite invites an email with a role, or refreshes the pending invite of that email
// (changing its role), and emits invite.created with the token for a notification provider.
func (s *Store) CreateInvite(ctx context.Context, email, role string) (*model.Invite, error) {
	var v Violations
	v.Add(!IsEmail(email), "user", "user must be an email")
	v.Add(!ValidRole(role), "role", "role must be a valid enum value")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var inv *model.Invite
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*model.User)(nil)).Where("email = ?", strings.ToLower(email)).Count(ctx)
		if err != nil {
			return fmt.Errorf("check user: %w", err)
		}
		if n > 0 {
			return Invalidf("Can't invite a user with an existing account")
		}
		inv = new(model.Invite)
		err = tx.NewSelect().Model(inv).Where("user_email = ?", email).For("UPDATE").Limit(1).Scan(ctx)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			inv = &model.Invite{ID: NewID("invite"), UserEmail: email, Role: &role, Token: ""}
			if _, err := tx.NewInsert().Model(inv).Returning("*").Exec(ctx); err != nil {
				return dbError(err, "insert invite")
			}
		case err != nil:
			return fmt.Errorf("find invite: %w", err)
		case !inv.Accepted:
			inv.Role = &role
		}
		return s.refreshInvite(ctx, tx, inv)
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// refreshInvite gives an invite a new token valid for 7 days and announces it.
func (s *Store) refreshInvite(ctx context.Context, tx bun.Tx, inv *model.Invite) error {
	tok, err := s.inviteToken(inv)
	if err != nil {
		return err
	}
	inv.Token = tok
	inv.ExpiresAt = model.Time{Time: time.Now().Add(inviteValidity).UTC().Truncate(time.Microsecond)}
	inv.UpdatedAt = model.Now()
	if _, err := tx.NewUpdate().Model(inv).Column("token", "expires_at", "role", "updated_at").WherePK().Exec(ctx); err != nil {
		return dbError(err, "update invite")
	}
	return emit(ctx, tx, "invite.created", map[string]any{"id": inv.ID, "token": inv.Token, "user_email": inv.UserEmail})
}

// ResendInvite renews an invite's token and expiry and announces it again.
func (s *Store) ResendInvite(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inv := new(model.Invite)
		err := tx.NewSelect().Model(inv).Where("invite.id = ?", id).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return Invalidf("Invite doesn't exist")
		}
		if err != nil {
			return fmt.Errorf("find invite: %w", err)
		}
		return s.refreshInvite(ctx, tx, inv)
	})
}

// DeleteInvite removes an invite; a missing one is not an error (Medusa: delete is idempotent).
func (s *Store) DeleteInvite(ctx context.Context, id string) error {
	if _, err := s.DB.NewDelete().Model((*model.Invite)(nil)).Where("id = ?", id).ForceDelete().Exec(ctx); err != nil {
		return fmt.Errorf("delete invite: %w", err)
	}
	return nil
}

// AcceptInviteInput is the user part of Medusa's AdminPostInvitesInviteAcceptReq.
type AcceptInviteInput struct {
	FirstName string
	LastName  string
	Password  string
}

// AcceptInvite turns a valid invite token into a user with the invite's email and role, and
// consumes the invite, in one transaction.
func (s *Store) AcceptInvite(ctx context.Context, token string, in AcceptInviteInput) (*model.User, error) {
	var claims inviteClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return []byte(s.Config.JWTSecret), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	if err != nil || s.Config.JWTSecret == "" {
		return nil, Invalidf("Token is not valid")
	}
	var inv model.Invite
	err = s.DB.NewSelect().Model(&inv).Where("invite.id = ?", claims.InviteID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (inv.UserEmail != claims.UserEmail || time.Now().After(inv.ExpiresAt.Time))) {
		return nil, Invalidf("Invalid invite")
	}
	if err != nil {
		return nil, fmt.Errorf("find invite: %w", err)
	}
	n, err := s.DB.NewSelect().Model((*model.User)(nil)).Where("email = ?", strings.ToLower(inv.UserEmail)).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("check user: %w", err)
	}
	if n > 0 {
		return nil, Invalidf("User already joined")
	}
	u, err := s.createUserThen(ctx, CreateUserInput{Email: inv.UserEmail, Role: inv.Role, FirstName: &in.FirstName,
		LastName: &in.LastName, Password: in.Password}, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*model.Invite)(nil)).Where("id = ?", inv.ID).ForceDelete().Exec(ctx)
		if err != nil {
			return fmt.Errorf("consume invite: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 { // accepted concurrently
			return Invalidf("Invalid invite")
		}
		return nil
	})
	return u, err
}

// ListInvitesPage is ListInvites with offset paging and a total (GraphQL connections).
func (s *Store) ListInvitesPage(ctx context.Context, p Page) ([]*model.Invite, int, error) {
	invites := []*model.Invite{}
	q, err := s.applyWhere(s.DB.NewSelect().Model(&invites), "invite", p.Where)
	if err != nil {
		return nil, 0, err
	}
	n, err := q.OrderExpr("invite.created_at ASC, invite.id ASC").
		Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list invites: %w", err)
	}
	return invites, int(n), nil
}

// ResendInviteReturning is ResendInvite returning the renewed invite.
func (s *Store) ResendInviteReturning(ctx context.Context, id string) (*model.Invite, error) {
	if err := s.ResendInvite(ctx, id); err != nil {
		return nil, err
	}
	inv := new(model.Invite)
	if err := s.DB.NewSelect().Model(inv).Where("invite.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read invite: %w", err)
	}
	return inv, nil
}

// GetInvite returns a live invite by id.
func (s *Store) GetInvite(ctx context.Context, id string) (*model.Invite, error) {
	inv := new(model.Invite)
	err := s.DB.NewSelect().Model(inv).Where("invite.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Invite with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get invite: %w", err)
	}
	return inv, nil
}
