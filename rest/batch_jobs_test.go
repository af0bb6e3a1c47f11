package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// stepsStrategy is a batch job type for the lifecycle tests: its pre-processing reports how many
// steps it will run (context.steps), its processing commits one step at a time (advancement_count
// and a log of the steps done, so a step run twice would show). Steps wait at gates a test
// holds, keyed by context.gate.
type stepsStrategy struct{}

var (
	gatesMu sync.Mutex
	gates   = map[string]chan struct{}{} // a step waits to receive from its job's gate
	entered = map[string]chan int{}      // and tells which step it is about to run
)

func newGate(name string) (chan struct{}, chan int) {
	gatesMu.Lock()
	defer gatesMu.Unlock()
	gates[name], entered[name] = make(chan struct{}), make(chan int, 100)
	return gates[name], entered[name]
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

func (stepsStrategy) Prepare(_ context.Context, _ *store.Store, c map[string]any) (map[string]any, error) {
	if _, ok := c["steps"].(float64); !ok {
		return nil, store.Invalidf("steps must be a number")
	}
	return c, nil
}

func (stepsStrategy) PreProcess(ctx context.Context, s *store.Store, tx bun.Tx, j *model.BatchJob) error {
	if c, _ := j.Context["fail"].(string); c == "preprocess" {
		return store.Invalidf("cannot pre-process")
	}
	j.Result = map[string]any{"stat_descriptors": []any{map[string]any{
		"key": "steps", "name": "Steps", "message": fmt.Sprintf("There will be %d steps", num(j.Context["steps"])),
	}}}
	return s.SaveBatchJob(ctx, tx, j)
}

func (stepsStrategy) Process(ctx context.Context, s *store.Store, j *model.BatchJob) error {
	steps := num(j.Context["steps"])
	gatesMu.Lock()
	gate, enter := gates[fmt.Sprint(j.Context["gate"])], entered[fmt.Sprint(j.Context["gate"])]
	gatesMu.Unlock()
	for {
		var done bool
		err := s.BatchStep(ctx, j.ID, func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
			i := num(j.Result["advancement_count"])
			if i >= steps {
				done = true
				return nil
			}
			if c, _ := j.Context["fail"].(string); c == "process" && i == 1 {
				return store.Invalidf("step %d is bad", i)
			}
			if gate != nil {
				enter <- i
				select {
				case <-gate:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			log, _ := j.Result["log"].([]any)
			j.Result["log"] = append(log, i)
			j.Result["advancement_count"] = i + 1
			j.Result["count"] = steps
			j.Result["progress"] = float64(i+1) / float64(steps)
			return s.SaveBatchJob(ctx, tx, j)
		})
		if err != nil || done {
			return err
		}
	}
}

func init() { store.RegisterBatchJobType("test-steps", stepsStrategy{}) }

// startJobs runs a batch job runner for the test's store until the test ends.
func startJobs(t *testing.T, e *resttest.Env) *store.JobRunner {
	t.Helper()
	r, err := e.Store.StartJobs(context.Background(), store.JobOptions{PollInterval: 20 * time.Millisecond, RetryDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.StopAndCancel(ctx)
	})
	return r
}

// waitStatus polls the job until it has the status (as a client polls Medusa's).
func waitStatus(t *testing.T, e *resttest.Env, id, status string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res := e.Do("GET", "/admin/batch-jobs/"+id, nil)
		j, _ := res.JSON(t)["batch_job"].(map[string]any)
		if j["status"] == status {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s did not reach %s: %s", id, status, res.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// otherUser adds a second admin with its own API token.
func otherUser(t *testing.T, e *resttest.Env) map[string]string {
	t.Helper()
	tok := "other_token"
	if _, err := e.Store.CreateUser(context.Background(), store.CreateUserInput{Email: "other@test.com", Password: "secret-password", APIToken: &tok}); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"Authorization": "Bearer " + tok}
}

func jobJSON(adminID, typ, context, status string, extra string) string {
	base := map[string]string{
		"result": "null", "dry_run": "false", "pre_processed_at": "null", "confirmed_at": "null",
		"processing_at": "null", "completed_at": "null", "canceled_at": "null", "failed_at": "null",
	}
	for _, kv := range strings.Split(extra, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			base[k] = v
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":"$id:batch","type":%q,"created_by":%q,"context":%s,"status":%q,"created_at":"$time","updated_at":"$time","deleted_at":null`, typ, adminID, context, status)
	for _, k := range []string{"result", "dry_run", "pre_processed_at", "confirmed_at", "processing_at", "completed_at", "canceled_at", "failed_at"} {
		fmt.Fprintf(&b, `,%q:%s`, k, base[k])
	}
	b.WriteString("}")
	return b.String()
}

func TestBatchJobsCreateValidation(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	for _, c := range []struct{ body, status, want string }{
		{`{}`, "400", `{"type":"invalid_data","message":"type must be a string, context must be an object"}`},
		{`{"type":1,"context":[],"dry_run":"x","foo":1}`, "400", `{"type":"invalid_data","message":"property foo should not exist, type must be a string, context must be an object, dry_run must be a boolean value"}`},
		{`{"type":"product-export"}`, "400", `{"type":"invalid_data","message":"context must be an object"}`},
		{`{"type":"product-export","context":null}`, "400", `{"type":"invalid_data","message":"context must be an object"}`},
		{`{"type":"nope","context":{}}`, "404", `{"type":"not_found","message":"Unable to find a BatchJob strategy with the type nope"}`},
		{`{"type":"test-steps","context":{}}`, "400", `{"type":"invalid_data","message":"steps must be a number"}`},
	} {
		res := e.Do("POST", "/admin/batch-jobs", c.body)
		var st int
		fmt.Sscan(c.status, &st)
		res.Expect(t, st, c.want)
	}
	e.DoAnon("GET", "/admin/batch-jobs", nil).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/batch-jobs", `{"type":"test-steps","context":{"steps":1}}`).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("GET", "/admin/batch-jobs/batch_x", nil).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/batch-jobs/batch_x/confirm", nil).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/batch-jobs/batch_x/cancel", nil).ExpectText(t, 401, "Unauthorized")
}

// Without a runner a job stays created: the lifecycle routes answer from the stored state.
func TestBatchJobsCreateGetListOwner(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/batch-jobs", `{"type":"test-steps","context":{"steps":2},"dry_run":true}`)
	res.Expect(t, 201, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":2}`, "created", "dry_run=true")+`}`)
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)

	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":2}`, "created", "dry_run=true")+`}`)
	e.Do("GET", "/admin/batch-jobs/batch_nope", nil).Expect(t, 404, `{"type":"not_found","message":"Batch job with id batch_nope was not found"}`)
	e.Do("POST", "/admin/batch-jobs/batch_nope/confirm", nil).Expect(t, 404, `{"type":"not_found","message":"Batch job with id batch_nope was not found"}`)
	e.Do("POST", "/admin/batch-jobs/"+id+"/confirm", nil).Expect(t, 400, `{"type":"not_allowed","message":"Cannot confirm processing for a batch job that is not pre processed"}`)

	e.Do("GET", "/admin/batch-jobs", nil).Expect(t, 200, `{"batch_jobs":[`+jobJSON(e.AdminID, "test-steps", `{"steps":2}`, "created", "dry_run=true")+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/batch-jobs?fields=type&expand=created_by_user&limit=1", nil).Expect(t, 200, `{"batch_jobs":[{"id":"$id:batch","type":"test-steps","created_at":"$time","status":"created","dry_run":true,"created_by_user":{"id":"`+e.AdminID+`","email":"admin@test.com","first_name":null,"last_name":null,"role":"admin","api_token":"test_token","metadata":null,"created_at":"$time","updated_at":"$time","deleted_at":null}}],"count":1,"offset":0,"limit":1}`)

	// Filters.
	for q, n := range map[string]int{
		"type[]=test-steps": 1, "type[]=product-export": 0, "id[]=" + id: 1, "id[]=batch_x": 0,
		"confirmed_at=null": 1, "pre_processed_at[gt]=2020-01-01": 0, "created_at[gt]=2020-01-01": 1,
		"created_at[lt]=2020-01-01": 0, "updated_at[gte]=2020-01-01": 1, "order=-created_at&offset=1": 0,
		"order=type": 1,
	} {
		res := e.Do("GET", "/admin/batch-jobs?"+q, nil)
		if res.Status != 200 || len(res.JSON(t)["batch_jobs"].([]any)) != n {
			t.Errorf("%s: %d %s, want %d jobs", q, res.Status, res.Body, n)
		}
	}
	for q, msg := range map[string]string{
		"type=test-steps": "type must be an array",
		"id=x&foo=1":      "property foo should not exist, id must be an array",
		"q=x":             "property q should not exist",
		"limit=x":         "limit must be a number conforming to the specified constraints",
		"created_at=null": `{"message":"created_at must be one of: DateComparisonOperator","details":{}}`,
		"created_at[gt]=2020-01-01&created_at[foo]=1": `{"message":"created_at must be one of: DateComparisonOperator","details":{"DateComparisonOperator":["property foo should not exist"]}}`,
		"order=nope": "Order field nope is not valid",
	} {
		e.Do("GET", "/admin/batch-jobs?"+q, nil).Expect(t, 400, fmt.Sprintf(`{"type":"invalid_data","message":%q}`, msg))
	}

	// Another user sees none of them and may touch none.
	other := otherUser(t, e)
	e.DoWith("GET", "/admin/batch-jobs", nil, other).Expect(t, 200, `{"batch_jobs":[],"count":0,"offset":0,"limit":10}`)
	notYours := `{"type":"not_allowed","message":"Cannot access a batch job that does not belong to the logged in user"}`
	e.DoWith("GET", "/admin/batch-jobs/"+id, nil, other).Expect(t, 400, notYours)
	e.DoWith("POST", "/admin/batch-jobs/"+id+"/confirm", nil, other).Expect(t, 400, notYours)
	e.DoWith("POST", "/admin/batch-jobs/"+id+"/cancel", nil, other).Expect(t, 400, notYours)

	// Cancel, again (Medusa allows it), and the list shows it.
	e.Do("POST", "/admin/batch-jobs/"+id+"/cancel", nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":2}`, "canceled", "dry_run=true;canceled_at=\"$time\"")+`}`)
	e.Do("POST", "/admin/batch-jobs/"+id+"/cancel", nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":2}`, "canceled", "dry_run=true;canceled_at=\"$time\"")+`}`)
	e.Do("GET", "/admin/batch-jobs?canceled_at[gt]=2020-01-01", nil).Expect(t, 200, `{"batch_jobs":[`+jobJSON(e.AdminID, "test-steps", `{"steps":2}`, "canceled", "dry_run=true;canceled_at=\"$time\"")+`],"count":1,"offset":0,"limit":10}`)
}

const stepsResult = `{"stat_descriptors":[{"key":"steps","name":"Steps","message":"There will be 3 steps"}]`

func TestBatchJobsLifecycle(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	startJobs(t, e)

	// Not a dry run: pre-processed, confirmed and processed on its own.
	res := e.Do("POST", "/admin/batch-jobs", `{"type":"test-steps","context":{"steps":3}}`)
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	waitStatus(t, e, id, "completed")
	done := `"pre_processed_at":"$time","confirmed_at":"$time","processing_at":"$time","completed_at":"$time"`
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":3}`, "completed",
		`result=`+stepsResult+`,"log":[0,1,2],"advancement_count":3,"count":3,"progress":1};pre_processed_at="$time";confirmed_at="$time";processing_at="$time";completed_at="$time"`)+`}`)
	_ = done
	e.Do("POST", "/admin/batch-jobs/"+id+"/cancel", nil).Expect(t, 400, `{"type":"not_allowed","message":"Cannot cancel completed batch job"}`)

	// A dry run waits pre-processed until confirmed.
	res = e.Do("POST", "/admin/batch-jobs", `{"type":"test-steps","context":{"steps":3},"dry_run":true}`)
	id = res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	waitStatus(t, e, id, "pre_processed")
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":3}`, "pre_processed",
		`dry_run=true;result=`+stepsResult+`};pre_processed_at="$time"`)+`}`)
	e.Do("POST", "/admin/batch-jobs/"+id+"/confirm", nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":3}`, "confirmed",
		`dry_run=true;result=`+stepsResult+`};pre_processed_at="$time";confirmed_at="$time"`)+`}`)
	waitStatus(t, e, id, "completed")

	// A failing pre-processing and a failing step fail the job with the error in the result.
	res = e.Do("POST", "/admin/batch-jobs", `{"type":"test-steps","context":{"steps":3,"fail":"preprocess"}}`)
	id = res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	waitStatus(t, e, id, "failed")
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":3,"fail":"preprocess"}`, "failed",
		`result={"errors":[{"message":"cannot pre-process","code":"unknown","err":{}}]};failed_at="$time"`)+`}`)
	res = e.Do("POST", "/admin/batch-jobs", `{"type":"test-steps","context":{"steps":3,"fail":"process"}}`)
	id = res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	waitStatus(t, e, id, "failed")
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", `{"steps":3,"fail":"process"}`, "failed",
		`result=`+strings.TrimSuffix(stepsResult, "")+`,"log":[0],"advancement_count":1,"count":3,"progress":0.3333333333333333,"errors":[{"message":"step 1 is bad","code":"unknown","err":{}}]};pre_processed_at="$time";confirmed_at="$time";processing_at="$time";failed_at="$time"`)+`}`)
}

// A job canceled while it runs stops at its next step.
func TestBatchJobsCancelWhileProcessing(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	gate, enter := newGate(t.Name())
	startJobs(t, e)
	res := e.Do("POST", "/admin/batch-jobs", fmt.Sprintf(`{"type":"test-steps","context":{"steps":3,"gate":%q}}`, t.Name()))
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	recv(t, enter)
	send(t, gate)  // step 0 commits
	recv(t, enter) // step 1 waits, holding the job's row: cancel waits for the step to commit
	canceled := make(chan *resttest.Response)
	go func() { canceled <- e.Do("POST", "/admin/batch-jobs/"+id+"/cancel", nil) }()
	waitLockWaiter(t, e)
	send(t, gate)
	recv(t, canceled).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "test-steps", fmt.Sprintf(`{"steps":3,"gate":%q}`, t.Name()), "canceled",
		`result=`+stepsResult+`,"log":[0,1],"advancement_count":2,"count":3,"progress":0.6666666666666666};pre_processed_at="$time";confirmed_at="$time";processing_at="$time";canceled_at="$time"`)+`}`)
	time.Sleep(200 * time.Millisecond)
	j := waitStatus(t, e, id, "canceled")
	if got := j["result"].(map[string]any)["log"]; fmt.Sprint(got) != "[0 1]" {
		t.Fatalf("steps after cancel: %v", got)
	}
}

// A job whose runner stops mid-job (its work canceled, as at a shutdown) is taken up by a new
// runner, resumes after its last committed step, and runs every step exactly once.
func TestBatchJobsSurviveRestart(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	gate, enter := newGate(t.Name())
	r1, err := e.Store.StartJobs(context.Background(), store.JobOptions{PollInterval: 20 * time.Millisecond, RetryDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res := e.Do("POST", "/admin/batch-jobs", fmt.Sprintf(`{"type":"test-steps","context":{"steps":4,"gate":%q}}`, t.Name()))
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	if i := recv(t, enter); i != 0 {
		t.Fatalf("first step %d", i)
	}
	send(t, gate)
	if i := recv(t, enter); i != 1 {
		t.Fatalf("second step %d", i)
	}
	// Step 1 is in progress when the runner goes away: its transaction rolls back.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r1.StopAndCancel(ctx); err != nil {
		t.Fatal(err)
	}
	j := waitStatus(t, e, id, "processing")
	if got := j["result"].(map[string]any)["log"]; fmt.Sprint(got) != "[0]" {
		t.Fatalf("after the stop: %v", got)
	}
	startJobs(t, e)
	for _, want := range []int{1, 2, 3} {
		if i := recv(t, enter); i != want {
			t.Fatalf("resumed at step %d, want %d", i, want)
		}
		send(t, gate)
	}
	j = waitStatus(t, e, id, "completed")
	raw, _ := json.Marshal(j["result"])
	if want := stepsResultN(4) + `,"log":[0,1,2,3],"advancement_count":4,"count":4,"progress":1}`; !sameJSON(string(raw), want) {
		t.Fatalf("result %s, want %s", raw, want)
	}
	var runs int
	if err := e.DB.NewRaw(`SELECT count(*) FROM gorgon.river_job WHERE kind = 'gorgon_batch_process' AND args->>'batch_job_id' = ?`, id).Scan(context.Background(), &runs); err != nil {
		t.Fatal(err)
	}
	if runs != 1 {
		t.Fatalf("%d process jobs queued, want 1", runs)
	}
}

// recv and send fail the test instead of hanging when a job does not get where it should.
func recv[T any](t *testing.T, ch chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(60 * time.Second):
		t.Fatal("timed out waiting for the job")
	}
	panic("unreachable")
}

func send(t *testing.T, ch chan struct{}) {
	t.Helper()
	select {
	case ch <- struct{}{}:
	case <-time.After(60 * time.Second):
		t.Fatal("timed out waiting for the job to reach its gate")
	}
}

// waitLockWaiter waits until a statement of the test's database waits for a batch job's row lock
// (River's own statements may wait for locks of their own meanwhile).
func waitLockWaiter(t *testing.T, e *resttest.Env) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := e.DB.NewRaw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
			AND (query LIKE '%FROM "batch_job"%FOR UPDATE%' OR query LIKE '%pg_advisory_xact_lock%batch_job:%')`).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no statement waits for the job's row")
}

func stepsResultN(n int) string {
	return fmt.Sprintf(`{"stat_descriptors":[{"key":"steps","name":"Steps","message":"There will be %d steps"}]`, n)
}

func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return len(resttest.Compare("", y, x)) == 0
}
