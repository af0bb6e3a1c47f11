package rest_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// orderExportFile reads a finished export's file and checks file_size against it.
func orderExportFile(t *testing.T, e *resttest.Env, j map[string]any) string {
	t.Helper()
	res := j["result"].(map[string]any)
	key := res["file_key"].(string)
	if !strings.HasPrefix(key, "order-export-") || !strings.HasSuffix(key, ".csv") {
		t.Errorf("file key %q", key)
	}
	f, err := e.Store.Files.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, _ := io.ReadAll(f)
	if int(res["file_size"].(float64)) != len(raw) {
		t.Errorf("file_size %v, file has %d bytes", res["file_size"], len(raw))
	}
	return string(raw)
}

// placeExportOrders places three orders as Medusa writes them (same created_at: listed by id
// descending), the first with a named customer and, with the flag on, a sales channel.
func placeExportOrders(t *testing.T, e *resttest.Env) ([]dbtest.PlacedOrder, []int) {
	t.Helper()
	var orders []dbtest.PlacedOrder
	var displayIDs []int
	for n := 1; n <= 3; n++ {
		o := dbtest.PlaceOrder(t, e.DB, n)
		var d int
		if err := e.DB.NewRaw(`SELECT display_id FROM "order" WHERE id = ?`, o.ID).Scan(context.Background(), &d); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
		displayIDs = append(displayIDs, d)
	}
	if _, err := e.DB.ExecContext(context.Background(), `UPDATE customer SET first_name = 'Ada', last_name = 'Lovelace' WHERE id = ?`, orders[0].CustomerID); err != nil {
		t.Fatal(err)
	}
	if salesChannelsOn {
		sc := e.Do("POST", "/admin/sales-channels", map[string]any{"name": "Web", "description": "web shop"}).JSON(t)["sales_channel"].(map[string]any)["id"].(string)
		if _, err := e.DB.ExecContext(context.Background(), `UPDATE "order" SET sales_channel_id = ? WHERE id = ?`, sc, orders[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	return orders, displayIDs
}

// The order export's file as Medusa 1.3.8's strategy writes it (its snapshot test's format):
// a page of list_config.take orders at a time, progress after each page.
func TestBatchOrderExport(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	withFiles(t, e)
	startJobs(t, e)
	orders, dids := placeExportOrders(t, e)

	res := e.Do("POST", "/admin/batch-jobs", `{"type":"order-export","context":{"limit":2,"extra":"kept"}}`)
	rels := `"customer","shipping_address"`
	if salesChannelsOn {
		rels += `,"sales_channel"`
	}
	ctxJSON := `{"extra":"kept","list_config":{"select":["id","display_id","status","created_at","fulfillment_status","payment_status","subtotal","shipping_total","discount_total","gift_card_total","refunded_total","tax_total","total","currency_code","region_id"],"relations":[` + rels + `],"skip":0,"take":2,"order":{"created_at":"DESC"}}}`
	res.Expect(t, 201, `{"batch_job":`+jobJSON(e.AdminID, "order-export", ctxJSON, "created", "")+`}`)
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	j := waitStatus(t, e, id, "completed")
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "order-export", ctxJSON, "completed",
		`result={"stat_descriptors":[{"key":"order-export-count","name":"Order count to export","message":"There will be 3 orders exported by this action"}],"file_key":"$string","file_size":"$any","count":3,"advancement_count":3,"progress":1};pre_processed_at="$time";confirmed_at="$time";processing_at="$time";completed_at="$time"`)+`}`)

	header := "Order_ID;Display_ID;Order status;Date;Customer First name;Customer Last name;Customer Email;Customer ID;Shipping Address 1;Shipping Address 2;Shipping Country Code;Shipping City;Shipping Postal Code;Shipping Region ID;Fulfillment Status;Payment Status;Subtotal;Shipping Total;Discount Total;Gift Card Total;Refunded Total;Tax Total;Total;Currency Code"
	sc := []string{"", "", ""}
	if salesChannelsOn {
		header += ";Sales channel name;Sales channel description"
		sc = []string{";Web;web shop", ";;", ";;"}
	}
	line := func(i int, first, last string) string {
		o := orders[i]
		return fmt.Sprintf("%s;%d;pending;Mon, 07 Dec 2026 14:45:52 GMT;%s;%s;acts-%d@example.com;%s;1 Road;;de;C;1000;%s;not_fulfilled;awaiting;3000;800;0;0;0;760;4560;eur%s\r\n",
			o.ID, dids[i], first, last, i+1, o.CustomerID, o.RegionID, sc[i])
	}
	want := header + "\r\n" + line(2, "", "") + line(1, "", "") + line(0, "Ada", "Lovelace")
	if got := orderExportFile(t, e, j); got != want {
		t.Errorf("file:\n%q\nwant:\n%q", got, want)
	}

	// fields narrow the columns (created_at and id always come), filterable_fields the orders,
	// offset skips some of them (the count stays the filter's, as Medusa's).
	res = e.Do("POST", "/admin/batch-jobs", map[string]any{"type": "order-export", "context": map[string]any{
		"fields": "total,display_id", "expand": "customer", "offset": 1, "order": "-created_at",
		"filterable_fields": map[string]any{"id": []any{orders[0].ID, orders[1].ID}, "status": []any{"pending"}},
	}})
	ctxJSON = `{"list_config":{"select":["total","display_id","created_at","id"],"relations":["customer"],"skip":1,"take":50,"order":{"created_at":"DESC"}},"filterable_fields":{"id":["` + orders[0].ID + `","` + orders[1].ID + `"],"status":["pending"]}}`
	res.Expect(t, 201, `{"batch_job":`+jobJSON(e.AdminID, "order-export", ctxJSON, "created", "")+`}`)
	id = res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	j = waitStatus(t, e, id, "completed")
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "order-export", ctxJSON, "completed",
		`result={"stat_descriptors":[{"key":"order-export-count","name":"Order count to export","message":"There will be 2 orders exported by this action"}],"file_key":"$string","file_size":"$any","count":2,"advancement_count":1,"progress":0.5};pre_processed_at="$time";confirmed_at="$time";processing_at="$time";completed_at="$time"`)+`}`)
	want = "Order_ID;Display_ID;Date;Customer First name;Customer Last name;Customer Email;Customer ID;Total\r\n" +
		fmt.Sprintf("%s;%d;Mon, 07 Dec 2026 14:45:52 GMT;Ada;Lovelace;acts-1@example.com;%s;4560\r\n", orders[0].ID, dids[0], orders[0].CustomerID)
	if got := orderExportFile(t, e, j); got != want {
		t.Errorf("file:\n%q\nwant:\n%q", got, want)
	}

	// list_config's order sorts the file; an order on no column of the order fails the job.
	res = e.Do("POST", "/admin/batch-jobs", `{"type":"order-export","context":{"fields":"display_id","expand":"customer","order":"display_id","limit":2}}`)
	id = res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	j = waitStatus(t, e, id, "completed")
	want = "Order_ID;Display_ID;Date;Customer First name;Customer Last name;Customer Email;Customer ID\r\n"
	for i, o := range orders {
		name := ";"
		if i == 0 {
			name = "Ada;Lovelace"
		}
		want += fmt.Sprintf("%s;%d;Mon, 07 Dec 2026 14:45:52 GMT;%s;acts-%d@example.com;%s\r\n", o.ID, dids[i], name, i+1, o.CustomerID)
	}
	if got := orderExportFile(t, e, j); got != want {
		t.Errorf("file:\n%q\nwant:\n%q", got, want)
	}
	res = e.Do("POST", "/admin/batch-jobs", `{"type":"order-export","context":{"order":"-nope"}}`)
	id = res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	j = waitStatus(t, e, id, "failed")
	if errs := fmt.Sprint(j["result"].(map[string]any)["errors"]); errs != "[map[code:unknown err:map[] message:Order field nope is not valid]]" {
		t.Errorf("errors %s", errs)
	}

	// A filter the orders do not have fails the job with the error in its result.
	res = e.Do("POST", "/admin/batch-jobs", `{"type":"order-export","context":{"filterable_fields":{"nope":1}}}`)
	id = res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	waitStatus(t, e, id, "failed")
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "order-export",
		`{"list_config":{"select":"$any","relations":"$any","skip":0,"take":50,"order":{"created_at":"DESC"}},"filterable_fields":{"nope":1}}`, "failed",
		`result={"errors":[{"message":"filterable_fields: nope is not an order filter","code":"unknown","err":{}}]};failed_at="$time"`)+`}`)
}

// An export interrupted mid-file (its runner gone after committing a page, its unfinished file
// never stored) is taken up again: it writes a whole new file from its first order.
func TestBatchOrderExportResume(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	withFiles(t, e)
	orders, _ := placeExportOrders(t, e)
	startJobs(t, e)

	// A job left as a runner leaves it when it dies after its first page: processing,
	// with the progress of that page and the key of a file that was never stored.
	res := e.Do("POST", "/admin/batch-jobs", `{"type":"order-export","context":{"limit":1,"fields":"id"},"dry_run":true}`)
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	waitStatus(t, e, id, "pre_processed")
	ctx := context.Background()
	if _, err := e.DB.ExecContext(ctx, `UPDATE batch_job SET confirmed_at = now(), processing_at = now(),
		result = result || '{"file_key":"order-export-lost.csv","file_size":9,"count":3,"advancement_count":1,"progress":0.3333333333333333}'::jsonb WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.ExecContext(ctx, `INSERT INTO gorgon.river_job (args, kind, max_attempts, queue, state, scheduled_at)
		VALUES (jsonb_build_object('batch_job_id', ?::text), 'gorgon_batch_process', 10, 'batch_jobs', 'available', now())`, id); err != nil {
		t.Fatal(err)
	}
	j := waitStatus(t, e, id, "completed")
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "order-export",
		`{"list_config":{"select":["id","created_at"],"relations":"$any","skip":0,"take":1,"order":{"created_at":"DESC"}}}`, "completed",
		`dry_run=true;result={"stat_descriptors":[{"key":"order-export-count","name":"Order count to export","message":"There will be 3 orders exported by this action"}],"file_key":"$string","file_size":"$any","count":3,"advancement_count":3,"progress":1};pre_processed_at="$time";confirmed_at="$time";processing_at="$time";completed_at="$time"`)+`}`)
	if key := j["result"].(map[string]any)["file_key"]; key == "order-export-lost.csv" {
		t.Fatalf("resumed into the lost file")
	}
	// The default relations stay: their columns come, the region id blank (not selected).
	header, sc := "Order_ID;Date;Customer First name;Customer Last name;Customer Email;Customer ID;Shipping Address 1;Shipping Address 2;Shipping Country Code;Shipping City;Shipping Postal Code;Shipping Region ID", []string{"", "", ""}
	if salesChannelsOn {
		header += ";Sales channel name;Sales channel description"
		sc = []string{";Web;web shop", ";;", ";;"}
	}
	want := header + "\r\n"
	for _, i := range []int{2, 1, 0} {
		name := ";"
		if i == 0 {
			name = "Ada;Lovelace"
		}
		want += fmt.Sprintf("%s;Mon, 07 Dec 2026 14:45:52 GMT;%s;acts-%d@example.com;%s;1 Road;;de;C;1000;%s\r\n", orders[i].ID, name, i+1, orders[i].CustomerID, sc[i])
	}
	if got := orderExportFile(t, e, j); got != want {
		t.Errorf("file:\n%q\nwant:\n%q", got, want)
	}
}
