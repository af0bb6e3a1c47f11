package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/filestore"
)

const batchJobFields = `id type status createdBy createdByUser { id email } dryRun context
	result { count advancementCount progress fileKey fileSize errors { message code } statDescriptors { key name message } }
	preProcessedAt confirmedAt processingAt completedAt canceledAt failedAt createdAt updatedAt`

func TestBatchJobsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	files, err := filestore.NewLocal(t.TempDir(), "http://files.test", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	e.Store.Files = files
	runner, err := e.Store.StartJobs(context.Background(), store.JobOptions{PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = runner.StopAndCancel(ctx)
	})
	e.Do("POST", "/admin/products", map[string]any{"title": "Mug", "variants": []any{map[string]any{"title": "One", "prices": []any{map[string]any{"currency_code": "usd", "amount": 500}}}}})

	create := `mutation($in: CreateBatchJobInput!) { createBatchJob(input: $in) { batchJob { ` + batchJobFields + ` } userErrors { field message code } } }`
	gql(e, create, map[string]any{"in": map[string]any{"type": "nope", "context": map[string]any{}}}).Expect(t, 200,
		`{"data":{"createBatchJob":{"batchJob":null,"userErrors":[{"field":null,"message":"Unable to find a BatchJob strategy with the type nope","code":"NOT_FOUND"}]}}}`)

	admin := `{"id":"` + e.AdminID + `","email":"admin@test.com"}`
	rels := `["variants","variants.prices","variants.options","images","options","tags","type","collection","variants.prices.region"]`
	if resttest.SalesChannels() {
		rels = `["variants","variants.prices","variants.options","images","options","tags","type","collection","sales_channels","variants.prices.region","sales_channels"]`
	}
	listConfig := `"list_config":{"relations":` + rels + `,"skip":0,"take":50,"order":{"created_at":"DESC"}}`
	res := gql(e, create, map[string]any{"in": map[string]any{"type": "product-export", "context": map[string]any{}, "dryRun": true}})
	res.Expect(t, 200, `{"data":{"createBatchJob":{"batchJob":{"id":"$id:batch","type":"product-export","status":"CREATED","createdBy":"`+e.AdminID+`",
		"createdByUser":`+admin+`,"dryRun":true,"context":{`+listConfig+`},"result":null,"preProcessedAt":null,"confirmedAt":null,"processingAt":null,
		"completedAt":null,"canceledAt":null,"failedAt":null,"createdAt":"$time","updatedAt":"$time"},"userErrors":[]}}}`)
	id := nraString(t, res, "createBatchJob", "batchJob", "id")

	status := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if nraString(t, gql(e, `query($id: ID!) { batchJob(id: $id) { status } }`, map[string]any{"id": id}), "batchJob", "status") == want {
				return
			}
		}
		t.Fatalf("job did not reach %s", want)
	}
	status("PRE_PROCESSED")
	stat := `{"key":"product-export-count","name":"Product count to export","message":"There will be 1 products exported by this action"}`
	gql(e, `mutation($id: ID!) { confirmBatchJob(id: $id) { batchJob { status dryRun result { count statDescriptors { key name message } errors { message } } } userErrors { message code } } }`,
		map[string]any{"id": id}).Expect(t, 200, `{"data":{"confirmBatchJob":{"batchJob":{"status":"CONFIRMED","dryRun":true,"result":{"count":null,"statDescriptors":[`+stat+`],"errors":[]}},"userErrors":[]}}}`)
	status("COMPLETED")
	gql(e, `query($id: ID!) { batchJob(id: $id) { status result { count advancementCount progress fileKey statDescriptors { key } } completedAt } }`,
		map[string]any{"id": id}).Expect(t, 200, `{"data":{"batchJob":{"status":"COMPLETED","result":{"count":1,"advancementCount":1,"progress":1,"fileKey":"$string","statDescriptors":[{"key":"product-export-count"}]},"completedAt":"$time"}}}`)
	gql(e, `mutation($id: ID!) { cancelBatchJob(id: $id) { batchJob { id } userErrors { field message code } } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"cancelBatchJob":{"batchJob":null,"userErrors":[{"field":null,"message":"Cannot cancel completed batch job","code":"NOT_ALLOWED"}]}}}`)

	// The connection, and the node interface.
	gql(e, `{ batchJobs { totalCount nodes { id status } } a: batchJobs(type: ["product-import"]) { totalCount } none: batchJobs(first: 0) { totalCount nodes { id } } }`, nil).Expect(t, 200,
		`{"data":{"batchJobs":{"totalCount":1,"nodes":[{"id":"`+id+`","status":"COMPLETED"}]},"a":{"totalCount":0},"none":{"totalCount":1,"nodes":[]}}}`)
	gql(e, `query($id: ID!) { node(id: $id) { ... on BatchJob { id type } } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"node":{"id":"`+id+`","type":"product-export"}}}`)
	gql(e, `{ batchJob(id: "batch_nope") { id } }`, nil).Expect(t, 200, `{"data":{"batchJob":null}}`)

	// Another user sees none of it.
	tok := "other_token"
	if _, err := e.Store.CreateUser(context.Background(), store.CreateUserInput{Email: "other@test.com", Password: "secret-password", APIToken: &tok}); err != nil {
		t.Fatal(err)
	}
	other := map[string]string{"Authorization": "Bearer " + tok}
	e.DoWith("POST", "/graphql", map[string]any{"query": `{ batchJobs { totalCount } }`}, other).Expect(t, 200, `{"data":{"batchJobs":{"totalCount":0}}}`)
	e.DoWith("POST", "/graphql", map[string]any{"query": `query($id: ID!) { batchJob(id: $id) { id } }`, "variables": map[string]any{"id": id}}, other).Expect(t, 200,
		`{"errors":[{"message":"Cannot access a batch job that does not belong to the logged in user","locations":[{"line":1,"column":19}],"path":["batchJob"],"extensions":{"code":"NOT_ALLOWED"}}],"data":{"batchJob":null}}`)
	e.DoWith("POST", "/graphql", map[string]any{"query": `mutation($id: ID!) { cancelBatchJob(id: $id) { batchJob { id } userErrors { message code } } }`, "variables": map[string]any{"id": id}}, other).Expect(t, 200,
		`{"data":{"cancelBatchJob":{"batchJob":null,"userErrors":[{"message":"Cannot access a batch job that does not belong to the logged in user","code":"NOT_ALLOWED"}]}}}`)
}
