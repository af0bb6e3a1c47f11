package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/migrations"
)

// Batch jobs run on River, a job queue in PostgreSQL (its tables in the gorgon schema): a River
// job is inserted in the same transaction as the batch job change that calls for it (created →
// pre-process, confirmed → process), so a committed change always has its work queued and a
// rolled-back one never does. Every Gorgon instance that runs a JobRunner takes jobs from the
// same queue; River locks each job to one runner, retries failures with backoff, and rescues
// a job whose runner died.

// batchQueue is the River queue of batch jobs.
const batchQueue = "batch_jobs"

// preprocessArgs asks for a batch job's pre-processing (Medusa's batch.created subscriber).
type preprocessArgs struct {
	BatchJobID string `json:"batch_job_id"`
}

func (preprocessArgs) Kind() string { return "gorgon_batch_preprocess" }

// processArgs asks for a confirmed batch job's processing (Medusa's batch.confirmed subscriber).
type processArgs struct {
	BatchJobID string `json:"batch_job_id"`
}

func (processArgs) Kind() string { return "gorgon_batch_process" }

// jobMaxAttempts is how often River runs a job whose run failed for a reason outside the job
// (database unreachable, instance stopped); a job that fails on its data fails at once.
const jobMaxAttempts = 10

// jobInserter is the insert-only River client of the store (no workers): it queues jobs inside
// the store's transactions.
type jobInserter struct {
	once   sync.Once
	client *river.Client[*sql.Tx]
	err    error
}

func (s *Store) inserter() (*river.Client[*sql.Tx], error) {
	s.jobs.once.Do(func() {
		s.jobs.client, s.jobs.err = river.NewClient(riverdatabasesql.New(s.DB.DB), &river.Config{
			Schema: migrations.RiverSchema,
			Logger: slog.Default(),
		})
	})
	return s.jobs.client, s.jobs.err
}

// enqueue queues a River job in tx.
func (s *Store) enqueue(ctx context.Context, tx bun.Tx, args river.JobArgs) error {
	c, err := s.inserter()
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	if _, err := c.InsertTx(ctx, tx.Tx, args, &river.InsertOpts{Queue: batchQueue, MaxAttempts: jobMaxAttempts}); err != nil {
		return fmt.Errorf("queue %s: %w", args.Kind(), err)
	}
	return nil
}

// JobOptions configure a JobRunner.
type JobOptions struct {
	// Workers is how many batch jobs one runner works on at once (default 2).
	Workers int
	// ListenURL, when set, is the PostgreSQL URL of a connection kept for LISTEN, so new jobs
	// start at once; without it the runner polls every PollInterval.
	ListenURL string
	// PollInterval is how often the runner looks for jobs when it has no listener, and as a
	// fallback when it has one (default 1 s).
	PollInterval time.Duration
	// RetryDelay, when set, replaces River's exponential backoff (tests).
	RetryDelay time.Duration
	// Logger is River's logger (default slog.Default()).
	Logger *slog.Logger
}

// JobRunner works on the queued batch jobs until stopped.
type JobRunner struct {
	client *river.Client[*sql.Tx]
	pool   *pgxpool.Pool
}

type fixedRetry struct{ d time.Duration }

func (f fixedRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(f.d) }

// StartJobs starts a runner of batch jobs on this store's database.
func (s *Store) StartJobs(ctx context.Context, o JobOptions) (*JobRunner, error) {
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &preprocessWorker{s: s})
	river.AddWorker(workers, &processWorker{s: s})
	r := &JobRunner{}
	var driver *riverdatabasesql.Driver
	if o.ListenURL != "" {
		cfg, err := pgxpool.ParseConfig(o.ListenURL)
		if err != nil {
			return nil, fmt.Errorf("job listener: %w", err)
		}
		cfg.MaxConns = 1
		cfg.MinConns = 0
		if r.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
			return nil, fmt.Errorf("job listener: %w", err)
		}
		driver = riverdatabasesql.NewWithPgxListener(s.DB.DB, r.pool)
	} else {
		driver = riverdatabasesql.New(s.DB.DB)
	}
	cfg := &river.Config{
		Schema:            migrations.RiverSchema,
		Queues:            map[string]river.QueueConfig{batchQueue: {MaxWorkers: o.Workers}},
		Workers:           workers,
		FetchPollInterval: o.PollInterval,
		// A batch job runs as long as its data takes; River's default timeout (a minute) would
		// cancel a large export. A runner that dies mid-job leaves it running: River's rescuer
		// queues it again after an hour.
		JobTimeout:  -1,
		MaxAttempts: jobMaxAttempts,
		Logger:      o.Logger,
		PollOnly:    o.ListenURL == "",
	}
	if o.PollInterval < 100*time.Millisecond { // River's default cooldown is 100 ms
		cfg.FetchCooldown = o.PollInterval
	}
	if o.RetryDelay > 0 {
		cfg.RetryPolicy = fixedRetry{o.RetryDelay}
	}
	c, err := river.NewClient(driver, cfg)
	if err != nil {
		r.close()
		return nil, fmt.Errorf("job runner: %w", err)
	}
	if err := c.Start(ctx); err != nil {
		r.close()
		return nil, fmt.Errorf("start job runner: %w", err)
	}
	r.client = c
	return r, nil
}

func (r *JobRunner) close() {
	if r.pool != nil {
		r.pool.Close()
	}
}

// Stop lets the jobs in progress finish their current batch and stop (they stop between
// batches when their context ends), waiting until ctx ends; then it cancels what still runs.
// A job stopped before its end is queued again and resumes where its committed batches left it.
func (r *JobRunner) Stop(ctx context.Context) error {
	defer r.close()
	err := r.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return r.client.StopAndCancel(cctx)
	}
	return err
}

// StopAndCancel cancels the jobs in progress at once (as a crash would, but recorded: they are
// queued again) and stops.
func (r *JobRunner) StopAndCancel(ctx context.Context) error {
	defer r.close()
	return r.client.StopAndCancel(ctx)
}

type preprocessWorker struct {
	river.WorkerDefaults[preprocessArgs]
	s *Store
}

func (w *preprocessWorker) Work(ctx context.Context, job *river.Job[preprocessArgs]) error {
	return w.s.jobOutcome(ctx, job.Args.BatchJobID, job.Attempt, job.MaxAttempts, w.s.preprocessBatchJob(ctx, job.Args.BatchJobID))
}

type processWorker struct {
	river.WorkerDefaults[processArgs]
	s *Store
}

func (w *processWorker) Work(ctx context.Context, job *river.Job[processArgs]) error {
	return w.s.jobOutcome(ctx, job.Args.BatchJobID, job.Attempt, job.MaxAttempts, w.s.processBatchJob(ctx, job.Args.BatchJobID))
}
