package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	nodeFetchers["batch"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return r.Store.GetBatchJob(ctx, id)
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.BatchJobs = func(child int, first *int, _ *string, _ map[string]any, _ []string) int {
			return connCost(child, first)
		}
	})
}

func (r *Resolver) batchJobConnection(ctx context.Context, first *int, after *string, where map[string]any, types []string) (*gqlmodel.BatchJobConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	jobs, total, err := r.Store.ListBatchJobs(ctx, store.BatchJobFilter{Type: types}, p)
	if err != nil {
		return nil, queryError(err)
	}
	conn := &gqlmodel.BatchJobConnection{Nodes: jobs, Edges: make([]*gqlmodel.BatchJobEdge, len(jobs)), TotalCount: total,
		PageInfo: pageInfo(p, len(jobs), total)}
	for i, j := range jobs {
		conn.Edges[i] = &gqlmodel.BatchJobEdge{Cursor: encodeCursor(p.Offset + i), Node: j}
	}
	return conn, nil
}

func batchJobPayload(j *model.BatchJob, err error) (*gqlmodel.BatchJobPayload, error) {
	ue, err := payloadErrors(err)
	if len(ue) > 0 {
		j = nil
	}
	return &gqlmodel.BatchJobPayload{BatchJob: j, UserErrors: ue}, err
}

func (r *Resolver) createBatchJob(ctx context.Context, in gqlmodel.CreateBatchJobInput) (*gqlmodel.BatchJobPayload, error) {
	s := store.CreateBatchJobInput{Type: in.Type, Context: in.Context}
	if in.DryRun != nil {
		s.DryRun = *in.DryRun
	}
	if s.Context == nil {
		s.Context = map[string]any{}
	}
	return batchJobPayload(r.Store.CreateBatchJob(ctx, s))
}

func batchJobStatus(j *model.BatchJob) gqlmodel.BatchJobStatus {
	return *enumOut[gqlmodel.BatchJobStatus](&j.Status)
}

// batchJobCreator is the job's creator: one batched load per page.
func batchJobCreator(ctx context.Context, j *model.BatchJob) (*model.User, error) {
	if j.CreatedByUser != nil {
		return j.CreatedByUser, nil
	}
	if j.CreatedBy == nil {
		return nil, nil
	}
	return loaders.Optional(loaders.For(ctx).UserByID.Load(ctx, *j.CreatedBy))
}

// batchJobResult reads Medusa's result object (JSON numbers are float64).
func batchJobResult(j *model.BatchJob) *gqlmodel.BatchJobResult {
	if j.Result == nil {
		return nil
	}
	res := &gqlmodel.BatchJobResult{Raw: j.Result, Errors: []*gqlmodel.BatchJobError{}, StatDescriptors: []*gqlmodel.BatchJobStatDescriptor{}}
	intOf := func(k string) *int {
		if f, ok := j.Result[k].(float64); ok {
			n := int(f)
			return &n
		}
		if n, ok := j.Result[k].(int); ok {
			return &n
		}
		return nil
	}
	res.Count, res.AdvancementCount, res.FileSize = intOf("count"), intOf("advancement_count"), intOf("file_size")
	switch v := j.Result["progress"].(type) {
	case float64:
		res.Progress = &v
	case int:
		f := float64(v)
		res.Progress = &f
	}
	if k, ok := j.Result["file_key"].(string); ok {
		res.FileKey = &k
	}
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	errs, _ := j.Result["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			be := &gqlmodel.BatchJobError{Message: str(m, "message")}
			if c, ok := m["code"].(string); ok {
				be.Code = &c
			}
			res.Errors = append(res.Errors, be)
		}
	}
	stats, _ := j.Result["stat_descriptors"].([]any)
	for _, s := range stats {
		if m, ok := s.(map[string]any); ok {
			res.StatDescriptors = append(res.StatDescriptors, &gqlmodel.BatchJobStatDescriptor{Key: str(m, "key"), Name: str(m, "name"), Message: str(m, "message")})
		}
	}
	return res
}
