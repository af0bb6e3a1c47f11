package model

import "github.com/uptrace/bun"

// User is an admin user (table "user"). PasswordHash never leaves the server: Medusa selects it
// only for authentication, Gorgon never serialises it.
type User struct {
	bun.BaseModel `bun:"table:user,alias:user"`

	ID           string         `bun:"id,pk" json:"id"`
	Email        string         `bun:"email,notnull" json:"email"`
	FirstName    *string        `bun:"first_name" json:"first_name"`
	LastName     *string        `bun:"last_name" json:"last_name"`
	PasswordHash *string        `bun:"password_hash" json:"-"`
	APIToken     *string        `bun:"api_token" json:"api_token"`
	Role         *string        `bun:"role" json:"role"`
	CreatedAt    Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt    Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt    *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata     map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
}
