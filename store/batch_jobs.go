package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Batch jobs are Medusa's long-running admin jobs (product import and export, …). Their
// lifecycle is Medusa's: created → pre_processed (after the type's pre-processing; a job that is
// not a dry run is confirmed at once) → confirmed → processing → completed, or failed, or
// canceled; each step sets its *_at column, from which the status is derived, and emits
// Medusa's batch.* event. The work runs on River (jobs.go).

// BatchJobStrategy is what a batch job type does (Medusa's AbstractBatchJobStrategy).
type BatchJobStrategy interface {
	// Prepare turns the context of a create request into the context stored (Medusa's
	// prepareBatchJobForProcessing); it may refuse it.
	Prepare(ctx context.Context, s *Store, jobContext map[string]any) (map[string]any, error)
	// PreProcess runs in the transaction that marks the job pre_processed, with the job's row
	// locked: it may change the job's context and result (SaveBatchJob).
	PreProcess(ctx context.Context, s *Store, tx bun.Tx, job *model.BatchJob) error
	// Process does the work of a confirmed job in steps, each committed by BatchStep, which
	// ends the work with ErrBatchCanceled once the job is canceled. A job interrupted (the
	// instance stopped, the database went away) runs Process again on the job as its committed
	// steps left it: Process resumes from there.
	Process(ctx context.Context, s *Store, job *model.BatchJob) error
}

var (
	batchStrategiesMu sync.RWMutex
	batchStrategies   = map[string]BatchJobStrategy{}
)

// RegisterBatchJobType makes a batch job type available (Medusa's batchType_<type> strategies).
func RegisterBatchJobType(typ string, st BatchJobStrategy) {
	batchStrategiesMu.Lock()
	defer batchStrategiesMu.Unlock()
	batchStrategies[typ] = st
}

// BatchJobTypes lists the registered types.
func BatchJobTypes() []string {
	batchStrategiesMu.RLock()
	defer batchStrategiesMu.RUnlock()
	out := make([]string, 0, len(batchStrategies))
	for t := range batchStrategies {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func batchStrategy(typ string) (BatchJobStrategy, error) {
	batchStrategiesMu.RLock()
	defer batchStrategiesMu.RUnlock()
	st, ok := batchStrategies[typ]
	if !ok {
		return nil, NotFoundf("Unable to find a BatchJob strategy with the type %s", typ)
	}
	return st, nil
}

// ErrBatchCanceled ends a job's processing once it was canceled.
var ErrBatchCanceled = errors.New("batch job canceled")

// NullableTimeRange is a date filter that Medusa also takes as "null" (the column IS NULL).
type NullableTimeRange struct {
	Null  bool
	Range *TimeRange
}

func (r *NullableTimeRange) apply(q *bun.SelectQuery, col string) *bun.SelectQuery {
	if r == nil {
		return q
	}
	if r.Null {
		return q.Where("? IS NULL", bun.Ident(col))
	}
	return r.Range.apply(q, col)
}

// BatchJobFilter is Medusa's AdminGetBatchParams selector.
type BatchJobFilter struct {
	ID, Type                                                       []string
	ConfirmedAt, PreProcessedAt, CompletedAt, FailedAt, CanceledAt *NullableTimeRange
	CreatedAt, UpdatedAt                                           *TimeRange
}

// currentUserID is the authenticated user's id ("" without one).
func currentUserID(ctx context.Context) string {
	if u := UserFrom(ctx); u != nil {
		return u.ID
	}
	return ""
}

// ListBatchJobs lists the caller's batch jobs (Medusa lists only the jobs created_by the
// logged-in user), newest first by default.
func (s *Store) ListBatchJobs(ctx context.Context, f BatchJobFilter, p Page) ([]*model.BatchJob, int, error) {
	jobs := []*model.BatchJob{}
	q := s.DB.NewSelect().Model(&jobs).Where("batch_job.created_by = ?", currentUserID(ctx))
	if len(f.ID) > 0 {
		q = q.Where("batch_job.id IN (?)", bun.In(f.ID))
	}
	if len(f.Type) > 0 {
		q = q.Where("batch_job.type IN (?)", bun.In(f.Type))
	}
	q = f.ConfirmedAt.apply(q, "batch_job.confirmed_at")
	q = f.PreProcessedAt.apply(q, "batch_job.pre_processed_at")
	q = f.CompletedAt.apply(q, "batch_job.completed_at")
	q = f.FailedAt.apply(q, "batch_job.failed_at")
	q = f.CanceledAt.apply(q, "batch_job.canceled_at")
	q = f.CreatedAt.apply(q, "batch_job.created_at")
	q = f.UpdatedAt.apply(q, "batch_job.updated_at")
	q, err := s.applyWhere(q, "batchJob", p.Where)
	if err != nil {
		return nil, 0, err
	}
	if p.Limit == 0 && !p.All { // a GraphQL page of none only needs the total
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count batch jobs: %w", err)
		}
		return jobs, int(n), nil
	}
	n, err := s.listPage(ctx, q, &jobs, "batch_job", p, nil)
	if err != nil {
		return nil, 0, err
	}
	return jobs, n, nil
}

// getBatchJob reads a live batch job; forUpdate locks its row.
//
// Before the row it takes a transaction-scoped advisory lock on the job's id. Row locks are not
// granted in order: when a step commits, the runner's next step can lock the row again before a
// cancel that was waiting for it wakes up, and a job of many quick steps could starve the cancel
// for its whole run. Advisory locks queue their waiters, so a waiting cancel goes first.
func getBatchJob(ctx context.Context, db bun.IDB, id string, forUpdate bool) (*model.BatchJob, error) {
	j := new(model.BatchJob)
	q := db.NewSelect().Model(j).Where("batch_job.id = ?", id)
	if forUpdate {
		if _, err := db.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "batch_job:"+id); err != nil {
			return nil, fmt.Errorf("lock batch job %s: %w", id, err)
		}
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Batch job with id %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get batch job %s: %w", id, err)
	}
	return j, nil
}

// ownBatchJob reads a batch job the caller may act on: Medusa answers not_found for a missing
// job, then not_allowed for another user's.
func ownBatchJob(ctx context.Context, db bun.IDB, id string, forUpdate bool) (*model.BatchJob, error) {
	j, err := getBatchJob(ctx, db, id, forUpdate)
	if err != nil {
		return nil, err
	}
	if j.CreatedBy == nil || *j.CreatedBy != currentUserID(ctx) {
		return nil, Errorf(NotAllowed, "Cannot access a batch job that does not belong to the logged in user")
	}
	return j, nil
}

// GetBatchJob returns one of the caller's batch jobs.
func (s *Store) GetBatchJob(ctx context.Context, id string) (*model.BatchJob, error) {
	return ownBatchJob(ctx, s.DB, id, false)
}

// CreateBatchJobInput is Medusa's AdminPostBatchesReq.
type CreateBatchJobInput struct {
	Type    string
	Context map[string]any
	DryRun  bool
}

// CreateBatchJob creates a batch job of a registered type for the caller, with the context its
// type prepares, emits batch.created and queues its pre-processing in the same transaction.
func (s *Store) CreateBatchJob(ctx context.Context, in CreateBatchJobInput) (*model.BatchJob, error) {
	st, err := batchStrategy(in.Type)
	if err != nil {
		return nil, err
	}
	jobCtx, err := st.Prepare(ctx, s, in.Context)
	if err != nil {
		return nil, err
	}
	j := &model.BatchJob{ID: NewID("batch"), Type: in.Type, Context: jobCtx, DryRun: in.DryRun}
	if u := UserFrom(ctx); u != nil {
		j.CreatedBy = &u.ID
	}
	err = s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(j).Returning("*").Exec(ctx); err != nil {
			return dbError(err, "insert batch job")
		}
		if err := emit(ctx, tx, "batch.created", map[string]any{"id": j.ID}); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, preprocessArgs{BatchJobID: j.ID})
	})
	if err != nil {
		return nil, err
	}
	j.LoadStatus()
	return j, nil
}

// batchStatusColumns are the column and event of each status a job moves to.
var batchStatusColumns = map[string]struct{ column, event string }{
	model.BatchPreProcessed: {"pre_processed_at", "batch.pre_processed"},
	model.BatchConfirmed:    {"confirmed_at", "batch.confirmed"},
	model.BatchProcessing:   {"processing_at", "batch.processing"},
	model.BatchCompleted:    {"completed_at", "batch.completed"},
	model.BatchCanceled:     {"canceled_at", "batch.canceled"},
	model.BatchFailed:       {"failed_at", "batch.failed"},
}

// setBatchStatus sets the timestamp of status on the locked job j and emits its event; a job
// confirmed gets its processing queued in the same transaction.
func (s *Store) setBatchStatus(ctx context.Context, tx bun.Tx, j *model.BatchJob, status string) error {
	c := batchStatusColumns[status]
	now := model.Now()
	switch status {
	case model.BatchPreProcessed:
		j.PreProcessedAt = &now
	case model.BatchConfirmed:
		j.ConfirmedAt = &now
	case model.BatchProcessing:
		j.ProcessingAt = &now
	case model.BatchCompleted:
		j.CompletedAt = &now
	case model.BatchCanceled:
		j.CanceledAt = &now
	case model.BatchFailed:
		j.FailedAt = &now
	}
	j.UpdatedAt = now
	if _, err := tx.NewUpdate().Model(j).Column(c.column, "updated_at").WherePK().Exec(ctx); err != nil {
		return dbError(err, "update batch job")
	}
	j.LoadStatus()
	if err := emit(ctx, tx, c.event, map[string]any{"id": j.ID}); err != nil {
		return err
	}
	if status == model.BatchConfirmed {
		return s.enqueue(ctx, tx, processArgs{BatchJobID: j.ID})
	}
	return nil
}

// ConfirmBatchJob confirms a pre-processed job of the caller's (a dry run, or one that waited),
// which queues its processing.
func (s *Store) ConfirmBatchJob(ctx context.Context, id string) (*model.BatchJob, error) {
	var j *model.BatchJob
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if j, err = ownBatchJob(ctx, tx, id, true); err != nil {
			return err
		}
		if j.Status != model.BatchPreProcessed {
			return Errorf(NotAllowed, "Cannot confirm processing for a batch job that is not pre processed")
		}
		return s.setBatchStatus(ctx, tx, j, model.BatchConfirmed)
	})
	if err != nil {
		return nil, err
	}
	return j, nil
}

// CancelBatchJob cancels a job of the caller's that has not completed (Medusa lets a failed or
// canceled job be canceled again). A job being processed stops at its next step.
func (s *Store) CancelBatchJob(ctx context.Context, id string) (*model.BatchJob, error) {
	var j *model.BatchJob
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if j, err = ownBatchJob(ctx, tx, id, true); err != nil {
			return err
		}
		if j.Status == model.BatchCompleted {
			return Errorf(NotAllowed, "Cannot cancel completed batch job")
		}
		return s.setBatchStatus(ctx, tx, j, model.BatchCanceled)
	})
	if err != nil {
		return nil, err
	}
	return j, nil
}

// SaveBatchJob writes a locked job's context and result back (Medusa's update, which merges
// them shallowly: callers change the maps in place) and emits batch.updated.
func (s *Store) SaveBatchJob(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
	j.UpdatedAt = model.Now()
	if _, err := tx.NewUpdate().Model(j).Column("context", "result", "updated_at").WherePK().Exec(ctx); err != nil {
		return dbError(err, "update batch job")
	}
	return emit(ctx, tx, "batch.updated", map[string]any{"id": j.ID})
}

// BatchStep runs one step of a job's processing in a transaction that holds the job's row: the
// job as committed is passed to fn, which saves its progress with SaveBatchJob. A job that is no
// longer processing (canceled meanwhile) ends the work with ErrBatchCanceled before fn runs.
func (s *Store) BatchStep(ctx context.Context, id string, fn func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		j, err := getBatchJob(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if j.Status != model.BatchProcessing {
			return ErrBatchCanceled
		}
		return fn(ctx, tx, j)
	})
}

// preprocessBatchJob is Medusa's batch.created subscriber: the type's pre-processing, then
// pre_processed, then (unless a dry run) confirmed with its processing queued, all in one
// transaction, so a retried run never does it twice. A job no longer created (canceled
// meanwhile) is left as it is.
func (s *Store) preprocessBatchJob(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		j, err := getBatchJob(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if j.Status != model.BatchCreated {
			return nil
		}
		st, err := batchStrategy(j.Type)
		if err != nil {
			return err
		}
		if err := st.PreProcess(ctx, s, tx, j); err != nil {
			return err
		}
		if err := s.setBatchStatus(ctx, tx, j, model.BatchPreProcessed); err != nil {
			return err
		}
		if j.DryRun {
			return nil
		}
		return s.setBatchStatus(ctx, tx, j, model.BatchConfirmed)
	})
}

// processBatchJob is Medusa's batch.confirmed subscriber: processing, the type's work, then
// completed. A job found processing already was interrupted and resumes; one canceled, failed
// or completed meanwhile is left as it is.
func (s *Store) processBatchJob(ctx context.Context, id string) error {
	var j *model.BatchJob
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if j, err = getBatchJob(ctx, tx, id, true); err != nil {
			return err
		}
		switch j.Status {
		case model.BatchConfirmed:
			return s.setBatchStatus(ctx, tx, j, model.BatchProcessing)
		case model.BatchProcessing:
			slog.Info("batch job resumes", "id", id, "type", j.Type)
			return nil
		}
		j = nil
		return nil
	})
	if err != nil || j == nil {
		return err
	}
	st, err := batchStrategy(j.Type)
	if err != nil {
		return err
	}
	if err := st.Process(ctx, s, j); err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		j, err := getBatchJob(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if j.Status != model.BatchProcessing {
			return nil
		}
		return s.setBatchStatus(ctx, tx, j, model.BatchCompleted)
	})
}

// jobOutcome decides what becomes of a River job whose run ended with err: nothing more on
// success or cancelation; another run later (River's backoff) when the failure lies outside the
// job (the runner stopped, the database went away) and attempts remain; otherwise the batch job
// fails, with the error in its result, as Medusa's handleProcessingError records it.
func (s *Store) jobOutcome(ctx context.Context, id string, attempt, maxAttempts int, err error) error {
	if err == nil || errors.Is(err, ErrBatchCanceled) {
		return nil
	}
	_, isStoreErr := AsError(err)
	if ctx.Err() != nil || (!isStoreErr && attempt < maxAttempts) {
		slog.Warn("batch job interrupted, to be retried", "id", id, "attempt", attempt, "err", err)
		return err
	}
	if ferr := s.failBatchJob(context.WithoutCancel(ctx), id, err); ferr != nil {
		return ferr
	}
	return nil
}

// failBatchJob marks a job failed with err in result.errors ({message, code, err}, Medusa's
// BatchJobResultError); a job already completed, failed or canceled is left as it is. Errors
// that are not the store's are logged and reported without their text.
func (s *Store) failBatchJob(ctx context.Context, id string, cause error) error {
	msg := fmt.Sprintf("Something went wrong with the batchJob %s", id)
	if e, ok := AsError(cause); ok {
		msg = e.Message
	} else {
		slog.Error("batch job failed", "id", id, "err", cause)
	}
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		j, err := getBatchJob(ctx, tx, id, true)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			if _, ok := AsError(err); ok { // deleted meanwhile
				return nil
			}
			return err
		}
		switch j.Status {
		case model.BatchCompleted, model.BatchFailed, model.BatchCanceled:
			return nil
		}
		if j.Result == nil {
			j.Result = map[string]any{}
		}
		errs, _ := j.Result["errors"].([]any)
		j.Result["errors"] = append(errs, map[string]any{"message": msg, "code": "unknown", "err": map[string]any{}})
		if err := s.SaveBatchJob(ctx, tx, j); err != nil {
			return err
		}
		return s.setBatchStatus(ctx, tx, j, model.BatchFailed)
	})
}
