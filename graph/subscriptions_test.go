package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/graph"
	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// gatedSteps is a batch job type for the subscription tests: its processing commits one step at a
// time (count, advancement_count, progress), each step waiting for the test to open its gate
// (context.gate names it), so that every state of the job can be observed.
type gatedSteps struct{}

var (
	subGatesMu sync.Mutex
	subGates   = map[string]chan struct{}{}
)

func (gatedSteps) Prepare(_ context.Context, _ *store.Store, c map[string]any) (map[string]any, error) {
	return c, nil
}

func (gatedSteps) PreProcess(ctx context.Context, s *store.Store, tx bun.Tx, j *model.BatchJob) error {
	return nil
}

func (gatedSteps) Process(ctx context.Context, s *store.Store, j *model.BatchJob) error {
	steps := int(j.Context["steps"].(float64))
	subGatesMu.Lock()
	gate := subGates[fmt.Sprint(j.Context["gate"])]
	subGatesMu.Unlock()
	for {
		var done bool
		err := s.BatchStep(ctx, j.ID, func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
			i, _ := j.Result["advancement_count"].(float64)
			if int(i) >= steps {
				done = true
				return nil
			}
			if j.Result == nil {
				j.Result = map[string]any{}
			}
			select {
			case <-gate:
			case <-ctx.Done():
				return ctx.Err()
			}
			j.Result["count"] = steps
			j.Result["advancement_count"] = int(i) + 1
			j.Result["progress"] = (i + 1) / float64(steps)
			return s.SaveBatchJob(ctx, tx, j)
		})
		if err != nil || done {
			return err
		}
	}
}

func init() { store.RegisterBatchJobType("test-gated-steps", gatedSteps{}) }

// subsServer serves the real router over HTTP (WebSockets need a real connection) with the event
// dispatcher running, and waits until its listener hears notifications.
func subsServer(t *testing.T, e *resttest.Env) *httptest.Server {
	t.Helper()
	done, stop := context.WithCancel(context.Background())
	h := rest.NewRouter(e.Store, rest.Config{CookieSecret: "test-cookie-secret", AdminCORS: []string{"http://admin.example.com"}},
		graph.NewConfiguredHandler(e.Store, graph.HandlerConfig{AllowedOrigins: []string{"http://admin.example.com"}, Done: done}))
	srv := httptest.NewServer(h)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { e.Store.RunEventDispatcher(ctx, time.Second); close(stopped) }()
	t.Cleanup(func() {
		stop()
		srv.Close()
		cancel()
		<-stopped
	})
	deadline := time.Now().Add(20 * time.Second)
	for !e.Store.EventsLive() {
		if time.Now().After(deadline) {
			t.Fatal("the event listener did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return srv
}

// wsClient is a minimal graphql-ws (graphql-transport-ws) client.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func dialWS(t *testing.T, srv *httptest.Server, header http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: header,
	})
	if err != nil {
		return nil, res, err
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	if conn.Subprotocol() != "graphql-transport-ws" {
		t.Fatalf("subprotocol %q", conn.Subprotocol())
	}
	return &wsClient{t: t, conn: conn}, res, nil
}

// connect dials and sends connection_init with payload, expecting connection_ack.
func connect(t *testing.T, srv *httptest.Server, header http.Header, payload map[string]any) *wsClient {
	t.Helper()
	c, _, err := dialWS(t, srv, header)
	if err != nil {
		t.Fatal(err)
	}
	c.send(map[string]any{"type": "connection_init", "payload": payload})
	c.expect(`{"type":"connection_ack"}`)
	return c
}

func (c *wsClient) send(msg any) {
	c.t.Helper()
	b, _ := json.Marshal(msg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
}

// read returns the next message, answering the server's pings.
func (c *wsClient) read() ([]byte, error) {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, b, err := c.conn.Read(ctx)
		cancel()
		if err != nil {
			return nil, err
		}
		var m struct{ Type string }
		_ = json.Unmarshal(b, &m)
		if m.Type == "ping" {
			c.send(map[string]any{"type": "pong"})
			continue
		}
		return b, nil
	}
}

// expect reads the next message and compares it in full with want (resttest placeholders).
func (c *wsClient) expect(want string) map[string]any {
	c.t.Helper()
	b, err := c.read()
	if err != nil {
		c.t.Fatalf("read: %v (want %s)", err, want)
	}
	(&resttest.Response{Status: 200, Body: b}).Expect(c.t, 200, want)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}

func bearer(tok string) map[string]any { return map[string]any{"authorization": "Bearer " + tok} }

const productChangesSub = `subscription { productChanges { name productId data occurredAt } }`

func TestSubscriptionsAuthentication(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	srv := subsServer(t, e)

	// No credentials at all: the upgrade is accepted, connection_init is refused with 4403.
	for _, payload := range []map[string]any{nil, {}, bearer("wrong"), {"token": "wrong"}, {"authorization": resttest.Token}} {
		c, _, err := dialWS(t, srv, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.send(map[string]any{"type": "connection_init", "payload": payload})
		_, err = c.read()
		if got := websocket.CloseStatus(err); got != 4403 {
			t.Errorf("init %v: closed with %d (%v), want 4403", payload, got, err)
		}
	}

	// A token in the init payload, either way.
	for _, payload := range []map[string]any{bearer(resttest.Token), {"token": resttest.Token}} {
		c := connect(t, srv, nil, payload)
		c.send(map[string]any{"type": "ping"})
		c.expect(`{"type":"pong"}`)
		c.subscribe("1", `subscription { productChanges { name } }`, nil)
		waitSubscriptions(t, e, e.AdminID, 1)
		c.send(map[string]any{"id": "1", "type": "complete"})
		c.expect(`{"id":"1","type":"complete"}`)
		waitSubscriptions(t, e, e.AdminID, 0)
	}

	// The session cookie on the upgrade request (from the same origin, as a browser sends it).
	login := e.DoAnon("POST", "/admin/auth", map[string]any{"email": "admin@test.com", "password": "secret-password"})
	if login.Status != 200 {
		t.Fatalf("login: %d %s", login.Status, login.Body)
	}
	cookie := strings.Split(login.Header.Get("Set-Cookie"), ";")[0]
	c := connect(t, srv, http.Header{"Cookie": {cookie}, "Origin": {srv.URL}}, nil)
	c.subscribe("1", productChangesSub, nil)
	waitSubscriptions(t, e, e.AdminID, 1)
	res := e.Do("POST", "/admin/products", map[string]any{"title": "Live"})
	if res.Status != 200 {
		t.Fatalf("create product: %d %s", res.Status, res.Body)
	}
	c.expect(`{"id":"1","type":"next","payload":{"data":{"productChanges":{"name":"product.created","productId":"$id:prod","data":{"id":"$id:prod"},"occurredAt":"$time"}}}}`)

	// An allowed admin origin may connect with the cookie too.
	connect(t, srv, http.Header{"Cookie": {cookie}, "Origin": {"http://admin.example.com"}}, nil)

	// Another site's page may not, cookie or not: refused at the upgrade.
	for _, h := range []http.Header{
		{"Cookie": {cookie}, "Origin": {"http://evil.example.com"}},
		{"Origin": {"http://evil.example.com"}},
	} {
		_, res, err := dialWS(t, srv, h)
		if err == nil || res == nil || res.StatusCode != http.StatusForbidden {
			t.Fatalf("foreign origin: %v %v", err, res)
		}
	}

	// Over HTTP, a subscription is authenticated like the rest of /graphql, then refused.
	e.DoAnon("POST", "/graphql", map[string]any{"query": productChangesSub}).Expect(t, 401,
		`{"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]}`)
	gql(e, productChangesSub, nil).Expect(t, 200, `{"errors":[{"message":"Subscriptions are served over a WebSocket at this endpoint (graphql-ws protocol, subprotocol graphql-transport-ws), not over HTTP","extensions":{"code":"BAD_REQUEST"}}],"data":null}`)
}

func waitSubscriptions(t *testing.T, e *resttest.Env, userID string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.Store.Subscriptions(userID) != n {
		if time.Now().After(deadline) {
			t.Fatalf("user holds %d subscriptions, want %d", e.Store.Subscriptions(userID), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSubscriptionsBatchJobProgress(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	srv := subsServer(t, e)
	gate := make(chan struct{})
	subGatesMu.Lock()
	subGates[t.Name()] = gate
	subGatesMu.Unlock()

	res := e.Do("POST", "/admin/batch-jobs", map[string]any{"type": "test-gated-steps", "context": map[string]any{"steps": 2, "gate": t.Name()}})
	if res.Status != 201 {
		t.Fatalf("create job: %d %s", res.Status, res.Body)
	}
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)

	const sub = `subscription ($id: ID!) { batchJobProgress(id: $id) { id status result { count advancementCount progress } createdByUser { email firstName } } }`
	c := connect(t, srv, nil, bearer(resttest.Token))

	// Another user's job, or none: NOT_FOUND/NOT_ALLOWED as the query answers.
	c.subscribe("x", sub, map[string]any{"id": "batch_missing"})
	c.expect(`{"id":"x","type":"next","payload":{"data":null,"errors":[{"message":"Batch job with id batch_missing was not found","locations":[{"line":1,"column":27}],"path":["batchJobProgress"],"extensions":{"code":"NOT_FOUND"}}]}}`)
	c.expect(`{"id":"x","type":"complete"}`)
	other := "other_token"
	if _, err := e.Store.CreateUser(context.Background(), store.CreateUserInput{Email: "other@test.com", Password: "secret-password", APIToken: &other}); err != nil {
		t.Fatal(err)
	}
	oc := connect(t, srv, nil, bearer(other))
	oc.subscribe("x", sub, map[string]any{"id": id})
	oc.expect(`{"id":"x","type":"next","payload":{"data":null,"errors":[{"message":"Cannot access a batch job that does not belong to the logged in user","locations":[{"line":1,"column":27}],"path":["batchJobProgress"],"extensions":{"code":"NOT_ALLOWED"}}]}}`)
	oc.expect(`{"id":"x","type":"complete"}`)

	// The job as it is, before any runner took it.
	c.subscribe("1", sub, map[string]any{"id": id})
	c.expect(`{"id":"1","type":"next","payload":{"data":{"batchJobProgress":{"id":"` + id + `","status":"CREATED","result":null,"createdByUser":{"email":"admin@test.com","firstName":null}}}}}`)

	// Then every change, as the runner makes it: pre-processed and confirmed (one transaction),
	// processing, one message per step, completed; the subscription then ends.
	startJobs(t, e)
	seen := map[string]bool{}
	step := 0
	for {
		b, err := c.read()
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Type    string
			Payload struct {
				Data struct {
					BatchJobProgress struct {
						Status string
						Result *struct{ AdvancementCount int }
					}
				}
			}
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if m.Type == "complete" {
			break
		}
		if m.Type != "next" {
			t.Fatalf("unexpected %s", b)
		}
		j := m.Payload.Data.BatchJobProgress
		seen[j.Status] = true
		switch {
		case j.Status == "COMPLETED":
			(&resttest.Response{Status: 200, Body: b}).Expect(t, 200,
				`{"id":"1","type":"next","payload":{"data":{"batchJobProgress":{"id":"`+id+`","status":"COMPLETED","result":{"count":2,"advancementCount":2,"progress":1},"createdByUser":{"email":"admin@test.com","firstName":"Live"}}}}}`)
		case j.Status == "PROCESSING" && j.Result != nil && j.Result.AdvancementCount == 1:
			seen["STEP1"] = true
			(&resttest.Response{Status: 200, Body: b}).Expect(t, 200,
				`{"id":"1","type":"next","payload":{"data":{"batchJobProgress":{"id":"`+id+`","status":"PROCESSING","result":{"count":2,"advancementCount":1,"progress":0.5},"createdByUser":{"email":"admin@test.com","firstName":null}}}}}`)
		}
		// Each step waits for its gate, so that the step's state is seen before the next.
		adv := 0
		if j.Result != nil {
			adv = j.Result.AdvancementCount
		}
		if j.Status == "PROCESSING" && adv == step && step < 2 {
			if step == 1 {
				// Each event is resolved with fresh dataloaders: the change shows in the next.
				if res := e.Do("POST", "/admin/users/"+e.AdminID, map[string]any{"first_name": "Live"}); res.Status != 200 {
					t.Fatalf("update user: %d %s", res.Status, res.Body)
				}
			}
			step++
			gate <- struct{}{}
		}
	}
	for _, s := range []string{"PROCESSING", "STEP1", "COMPLETED"} {
		if !seen[s] {
			t.Errorf("no %s state delivered (saw %v)", s, seen)
		}
	}
	waitSubscriptions(t, e, e.AdminID, 0)
}

// startJobs runs a batch job runner for the test's store until the test ends.
func startJobs(t *testing.T, e *resttest.Env) {
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
}

func TestSubscriptionsOrderEvents(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	srv := subsServer(t, e)
	o := dbtest.PlaceOrder(t, e.DB, 1)
	other := dbtest.PlaceOrder(t, e.DB, 2)

	c := connect(t, srv, nil, bearer(resttest.Token))
	const sub = `subscription ($id: ID) { orderEvents(orderId: $id) { name orderId resourceId data occurredAt } }`
	c.subscribe("mine", sub, map[string]any{"id": o.ID})
	c.subscribe("all", sub, nil)
	waitSubscriptions(t, e, e.AdminID, 2)

	if res := e.Do("POST", "/admin/orders/"+other.ID, map[string]any{"email": "other@example.com"}); res.Status != 200 {
		t.Fatalf("update order: %d %s", res.Status, res.Body)
	}
	c.expect(`{"id":"all","type":"next","payload":{"data":{"orderEvents":{"name":"order.updated","orderId":"` + other.ID + `","resourceId":"` + other.ID + `","data":{"id":"` + other.ID + `","no_notification":null},"occurredAt":"$time"}}}}`)
	if res := e.Do("POST", "/admin/orders/"+o.ID+"/capture", nil); res.Status != 200 {
		t.Fatalf("capture: %d %s", res.Status, res.Body)
	}
	got := map[string]string{}
	for range 2 {
		b, err := c.read()
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ ID string }
		_ = json.Unmarshal(b, &m)
		got[m.ID] = string(b)
	}
	for _, id := range []string{"mine", "all"} {
		(&resttest.Response{Status: 200, Body: []byte(got[id])}).Expect(t, 200,
			`{"id":"`+id+`","type":"next","payload":{"data":{"orderEvents":{"name":"order.payment_captured","orderId":"`+o.ID+`","resourceId":"`+o.ID+`","data":{"id":"`+o.ID+`","no_notification":null},"occurredAt":"$time"}}}}`)
	}
}

func TestSubscriptionsPerUserBound(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	srv := subsServer(t, e)
	c := connect(t, srv, nil, bearer(resttest.Token))
	for i := 1; i <= store.MaxSubscriptionsPerUser; i++ {
		c.subscribe(fmt.Sprint(i), productChangesSub, nil)
	}
	waitSubscriptions(t, e, e.AdminID, store.MaxSubscriptionsPerUser)

	// One more, even on another connection: refused.
	c2 := connect(t, srv, nil, bearer(resttest.Token))
	c2.subscribe("more", productChangesSub, nil)
	c2.expect(`{"id":"more","type":"next","payload":{"data":null,"errors":[{"message":"Too many subscriptions: a user may hold at most 20 at once","locations":[{"line":1,"column":16}],"path":["productChanges"],"extensions":{"code":"NOT_ALLOWED"}}]}}`)
	c2.expect(`{"id":"more","type":"complete"}`)

	// Another user has a bound of its own.
	other := "other_token"
	if _, err := e.Store.CreateUser(context.Background(), store.CreateUserInput{Email: "other@test.com", Password: "secret-password", APIToken: &other}); err != nil {
		t.Fatal(err)
	}
	oc := connect(t, srv, nil, bearer(other))
	oc.subscribe("o", productChangesSub, nil)

	// One ended (complete from the client) frees a place.
	c.send(map[string]any{"id": "1", "type": "complete"})
	waitSubscriptions(t, e, e.AdminID, store.MaxSubscriptionsPerUser-1)
	c2.subscribe("again", productChangesSub, nil)
	waitSubscriptions(t, e, e.AdminID, store.MaxSubscriptionsPerUser)

	// A closed connection frees all of its own.
	_ = c.conn.Close(websocket.StatusNormalClosure, "")
	waitSubscriptions(t, e, e.AdminID, 1)

	if res := e.Do("POST", "/admin/products", map[string]any{"title": "Live"}); res.Status != 200 {
		t.Fatalf("create product: %d %s", res.Status, res.Body)
	}
	c2.expect(`{"id":"again","type":"next","payload":{"data":{"productChanges":{"name":"product.created","productId":"$id:prod","data":{"id":"$id:prod"},"occurredAt":"$time"}}}}`)
	oc.expect(`{"id":"o","type":"next","payload":{"data":{"productChanges":{"name":"product.created","productId":"$id:prod","data":{"id":"$id:prod"},"occurredAt":"$time"}}}}`)
}

func TestSubscriptionsEndOnShutdown(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	done, stop := context.WithCancel(context.Background())
	srv := httptest.NewServer(rest.NewRouter(e.Store, rest.Config{CookieSecret: "test-cookie-secret"},
		graph.NewConfiguredHandler(e.Store, graph.HandlerConfig{Done: done, KeepAlive: 50 * time.Millisecond})))
	t.Cleanup(srv.Close)
	c := connect(t, srv, nil, bearer(resttest.Token))
	c.subscribe("1", productChangesSub, nil)
	waitSubscriptions(t, e, e.AdminID, 1)

	// The server pings an idle connection (the client answers: read does).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := c.conn.Read(ctx)
	if err != nil || string(b) != `{"type":"ping"}` {
		t.Fatalf("want a ping, got %s %v", b, err)
	}
	c.send(map[string]any{"type": "pong"})

	stop()
	_, err = c.read()
	if got := websocket.CloseStatus(err); got != websocket.StatusNormalClosure {
		t.Fatalf("closed with %d (%v), want 1000", got, err)
	}
	waitSubscriptions(t, e, e.AdminID, 0)
}

// One statement emitting many events (a product's variants) notifies their ids in several
// payloads (PostgreSQL bounds one to 8000 bytes): all of them reach a subscriber.
func TestSubscriptionsEventsOfOneStatement(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	subsServer(t, e)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, err := e.Store.SubscribeEvents(ctx, "test", func(name string) bool { return name == "product-variant.created" })
	if err != nil {
		t.Fatal(err)
	}
	const n = 700
	variants := make([]any, n)
	for i := range variants {
		variants[i] = map[string]any{"title": fmt.Sprint("V", i), "prices": []any{map[string]any{"currency_code": "usd", "amount": 100}},
			"options": []any{map[string]any{"value": fmt.Sprint(i)}}}
	}
	res := e.Do("POST", "/admin/products", map[string]any{"title": "Many", "options": []any{map[string]any{"title": "Size"}}, "variants": variants})
	if res.Status != 200 {
		t.Fatalf("create product: %d %.500s", res.Status, res.Body)
	}
	seen := map[string]bool{}
	for len(seen) < n {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("subscription ended after %d events", len(seen))
			}
			seen[ev.DataID("id")] = true
		case <-time.After(20 * time.Second):
			t.Fatalf("%d events of %d delivered", len(seen), n)
		}
	}
}

// A connection's credentials are checked again: a logout, or a changed API token, closes it.
func TestSubscriptionsEndWithCredentials(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	srv := httptest.NewServer(rest.NewRouter(e.Store, rest.Config{CookieSecret: "test-cookie-secret"},
		graph.NewConfiguredHandler(e.Store, graph.HandlerConfig{CredentialsRecheck: 20 * time.Millisecond})))
	t.Cleanup(srv.Close)

	login := e.DoAnon("POST", "/admin/auth", map[string]any{"email": "admin@test.com", "password": "secret-password"})
	if login.Status != 200 {
		t.Fatalf("login: %d %s", login.Status, login.Body)
	}
	cookie := strings.Split(login.Header.Get("Set-Cookie"), ";")[0]
	byCookie := connect(t, srv, http.Header{"Cookie": {cookie}}, nil)
	byCookie.subscribe("1", productChangesSub, nil)
	byToken := connect(t, srv, nil, bearer(resttest.Token))
	byToken.subscribe("1", productChangesSub, nil)
	waitSubscriptions(t, e, e.AdminID, 2)

	if res := e.DoWith("DELETE", "/admin/auth", nil, map[string]string{"Cookie": cookie}); res.Status != 200 {
		t.Fatalf("logout: %d %s", res.Status, res.Body)
	}
	if _, err := byCookie.read(); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Fatalf("after logout: %v", err)
	}
	waitSubscriptions(t, e, e.AdminID, 1)

	if res := e.Do("POST", "/admin/users/"+e.AdminID, map[string]any{"api_token": "new_token"}); res.Status != 200 {
		t.Fatalf("new token: %d %s", res.Status, res.Body)
	}
	if _, err := byToken.read(); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Fatalf("after the token changed: %v", err)
	}
	waitSubscriptions(t, e, e.AdminID, 0)
}
