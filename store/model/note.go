package model

import "github.com/uptrace/bun"

// Note is an admin's note on a resource (resource_type + resource_id, e.g. an order).
type Note struct {
	bun.BaseModel `bun:"table:note,alias:note"`

	ID           string         `bun:"id,pk" json:"id"`
	Value        string         `bun:"value,notnull" json:"value"`
	ResourceType string         `bun:"resource_type,notnull" json:"resource_type"`
	ResourceID   string         `bun:"resource_id,notnull" json:"resource_id"`
	AuthorID     *string        `bun:"author_id" json:"author_id"`
	CreatedAt    Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt    Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt    *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata     map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`

	Author *User `bun:"rel:belongs-to,join:author_id=id" json:"author,omitzero"`
}
