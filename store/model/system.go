package model

import "github.com/uptrace/bun"

// IdempotencyKey records the progress (recovery point) and response of an idempotent request,
// so that a retried request resumes or replays instead of running twice.
type IdempotencyKey struct {
	bun.BaseModel `bun:"table:idempotency_key,alias:idempotency_key"`

	ID             string         `bun:"id,pk" json:"id"`
	IdempotencyKey string         `bun:"idempotency_key,notnull" json:"idempotency_key"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	LockedAt       *Time          `bun:"locked_at" json:"locked_at"`
	RequestMethod  *string        `bun:"request_method" json:"request_method"`
	RequestParams  map[string]any `bun:"request_params,type:jsonb,nullzero" json:"request_params"`
	RequestPath    *string        `bun:"request_path" json:"request_path"`
	ResponseCode   *int           `bun:"response_code" json:"response_code"`
	ResponseBody   map[string]any `bun:"response_body,type:jsonb,nullzero" json:"response_body"`
	RecoveryPoint  string         `bun:"recovery_point,nullzero,notnull,default:'started'" json:"recovery_point"`
}

// StagedJob is an event staged inside a transaction, emitted once the transaction commits.
type StagedJob struct {
	bun.BaseModel `bun:"table:staged_job,alias:staged_job"`

	ID        string         `bun:"id,pk" json:"id"`
	EventName string         `bun:"event_name,notnull" json:"event_name"`
	Data      map[string]any `bun:"data,type:jsonb,notnull" json:"data"`
}

// Oauth is an installed OAuth application (admin app integrations).
type Oauth struct {
	bun.BaseModel `bun:"table:oauth,alias:oauth"`

	ID              string         `bun:"id,pk" json:"id"`
	DisplayName     string         `bun:"display_name,notnull" json:"display_name"`
	ApplicationName string         `bun:"application_name,notnull" json:"application_name"`
	InstallURL      *string        `bun:"install_url" json:"install_url"`
	UninstallURL    *string        `bun:"uninstall_url" json:"uninstall_url"`
	Data            map[string]any `bun:"data,type:jsonb,nullzero" json:"data"`
}

// Migration is a row of TypeORM's migrations table: a Medusa migration that has run.
type Migration struct {
	bun.BaseModel `bun:"table:migrations,alias:migrations"`

	ID        int    `bun:"id,pk,autoincrement" json:"id"`
	Timestamp int64  `bun:"timestamp,notnull" json:"timestamp"`
	Name      string `bun:"name,notnull" json:"name"`
}

// TypeormMetadata is a row of TypeORM's typeorm_metadata table (views and generated columns);
// the table has no primary key.
type TypeormMetadata struct {
	bun.BaseModel `bun:"table:typeorm_metadata,alias:typeorm_metadata"`

	Type     string  `bun:"type,notnull" json:"type"`
	Database *string `bun:"database" json:"database"`
	Schema   *string `bun:"schema" json:"schema"`
	Table    *string `bun:"table" json:"table"`
	Name     *string `bun:"name" json:"name"`
	Value    *string `bun:"value" json:"value"`
}
