package model

import (
	"context"

	"github.com/uptrace/bun"
)

// BatchJob is a long-running admin job (product import/export, …). Its status is not stored:
// Medusa derives it from the latest of the *_at timestamps.
type BatchJob struct {
	bun.BaseModel `bun:"table:batch_job,alias:batch_job"`

	ID             string         `bun:"id,pk" json:"id"`
	Type           string         `bun:"type,notnull" json:"type"`
	CreatedBy      *string        `bun:"created_by" json:"created_by"`
	Context        map[string]any `bun:"context,type:jsonb,nullzero" json:"context"`
	Result         map[string]any `bun:"result,type:jsonb,nullzero" json:"result"`
	DryRun         bool           `bun:"dry_run,notnull" json:"dry_run"`
	PreProcessedAt *Time          `bun:"pre_processed_at" json:"pre_processed_at"`
	ProcessingAt   *Time          `bun:"processing_at" json:"processing_at"`
	ConfirmedAt    *Time          `bun:"confirmed_at" json:"confirmed_at"`
	CompletedAt    *Time          `bun:"completed_at" json:"completed_at"`
	CanceledAt     *Time          `bun:"canceled_at" json:"canceled_at"`
	FailedAt       *Time          `bun:"failed_at" json:"failed_at"`
	CreatedAt      Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt      Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt      *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`

	// Status is derived from the timestamps after every read (Medusa's loadStatus).
	Status string `bun:"-" json:"status"`

	CreatedByUser *User `bun:"rel:belongs-to,join:created_by=id" json:"created_by_user,omitzero"`
}

// Medusa's batch job statuses.
const (
	BatchCreated      = "created"
	BatchPreProcessed = "pre_processed"
	BatchConfirmed    = "confirmed"
	BatchProcessing   = "processing"
	BatchCompleted    = "completed"
	BatchCanceled     = "canceled"
	BatchFailed       = "failed"
)

// LoadStatus sets Status from the timestamps as Medusa does: the last of pre_processed,
// confirmed, processing, completed, canceled, failed that is set wins, whatever the times.
func (j *BatchJob) LoadStatus() {
	j.Status = BatchCreated
	for _, s := range []struct {
		at     *Time
		status string
	}{
		{j.PreProcessedAt, BatchPreProcessed}, {j.ConfirmedAt, BatchConfirmed}, {j.ProcessingAt, BatchProcessing},
		{j.CompletedAt, BatchCompleted}, {j.CanceledAt, BatchCanceled}, {j.FailedAt, BatchFailed},
	} {
		if s.at != nil {
			j.Status = s.status
		}
	}
}

var _ bun.AfterScanRowHook = (*BatchJob)(nil)

// AfterScanRow derives Status from the row just read.
func (j *BatchJob) AfterScanRow(context.Context) error {
	j.LoadStatus()
	return nil
}
