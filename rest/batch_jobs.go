package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/batch-jobs", a.listBatchJobs)
		r.Post("/batch-jobs", a.createBatchJob)
		r.Get("/batch-jobs/{id}", a.getBatchJob)
		r.Post("/batch-jobs/{id}/confirm", a.confirmBatchJob)
		r.Post("/batch-jobs/{id}/cancel", a.cancelBatchJob)
	})
}

// GET /admin/batch-jobs (AdminGetBatchParams through transformQuery): the caller's jobs, 10 per
// page, newest first.
func (a *API) listBatchJobs(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	p := q.Page(10)
	var f store.BatchJobFilter
	var typeErr error
	keep := func(e error) {
		if typeErr == nil {
			typeErr = e
		}
	}
	var e error
	f.ID = q.Array("id")
	f.Type = q.Array("type")
	f.ConfirmedAt = nullableDateRange(q, "confirmed_at")
	f.PreProcessedAt = nullableDateRange(q, "pre_processed_at")
	f.CompletedAt = nullableDateRange(q, "completed_at")
	f.FailedAt = nullableDateRange(q, "failed_at")
	f.CanceledAt = nullableDateRange(q, "canceled_at")
	f.CreatedAt, e = isTypeDates(q, "created_at")
	keep(e)
	f.UpdatedAt = q.DateRange("updated_at")
	if typeErr != nil {
		writeError(w, r, typeErr)
		return
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if len(p.Fields) > 0 {
		// Medusa's status is computed, and dry_run a class default: both are in every job.
		p.Fields = append(p.Fields, "status", "dry_run")
	}
	jobs, n, err := a.store.ListBatchJobs(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, "batch_jobs", jobs, n, p)
}

// nullableDateRange reads a date range that Medusa also takes as the string "null" (a filter
// on the column being NULL).
func nullableDateRange(q *query, key string) *store.NullableTimeRange {
	if v, ok := q.root.Get(key); ok {
		if s, isString := v.(qs.String); isString && s == "null" {
			q.used[key] = true
			return &store.NullableTimeRange{Null: true}
		}
	}
	tr := q.DateRange(key)
	if tr == nil {
		return nil
	}
	return &store.NullableTimeRange{Range: tr}
}

// createBatchJobRequest is Medusa's AdminPostBatchesReq.
type createBatchJobRequest struct {
	Type    json.RawMessage `json:"type"`
	Context json.RawMessage `json:"context"`
	DryRun  json.RawMessage `json:"dry_run"`
}

// POST /admin/batch-jobs: 201 with the created job; an unknown type is Medusa's not_found.
func (a *API) createBatchJob(w http.ResponseWriter, r *http.Request) {
	var body createBatchJobRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	typ, _ := cvString(&v, "type", body.Type, true)
	var jobCtx map[string]any
	if cvNull(body.Context) {
		v.Add(true, "context", "context must be an object")
	} else {
		jobCtx = cvObject(&v, "context", body.Context)
	}
	dry := cvBool(&v, "dry_run", body.DryRun)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	in := store.CreateBatchJobInput{Type: *typ, Context: jobCtx}
	if dry != nil {
		in.DryRun = *dry
	}
	j, err := a.store.CreateBatchJob(r.Context(), in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"batch_job": j})
}

func writeBatchJob(w http.ResponseWriter, r *http.Request, j *model.BatchJob, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"batch_job": j})
}

// GET /admin/batch-jobs/:id: Medusa reads no query parameters here.
func (a *API) getBatchJob(w http.ResponseWriter, r *http.Request) {
	j, err := a.store.GetBatchJob(r.Context(), chi.URLParam(r, "id"))
	writeBatchJob(w, r, j, err)
}

// POST /admin/batch-jobs/:id/confirm (no body is read).
func (a *API) confirmBatchJob(w http.ResponseWriter, r *http.Request) {
	j, err := a.store.ConfirmBatchJob(r.Context(), chi.URLParam(r, "id"))
	writeBatchJob(w, r, j, err)
}

// POST /admin/batch-jobs/:id/cancel (no body is read).
func (a *API) cancelBatchJob(w http.ResponseWriter, r *http.Request) {
	j, err := a.store.CancelBatchJob(r.Context(), chi.URLParam(r, "id"))
	writeBatchJob(w, r, j, err)
}
