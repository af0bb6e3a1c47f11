package rest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// A file the real Medusa 1.3.8's product-export wrote (testdata/medusa-roundtrip/
// medusa-products.csv, made by clients/medusa-roundtrip/run.sh UPDATE_FIXTURE=1 on the reference
// shop) imports into a shop with the same regions: every product is created, and the products
// the admin API then answers carry what Medusa's own API answered about them
// (medusa-products.json, normalized the same way: see medusaNormalize). Without the sales
// channels flag the file is refused, as Medusa's import refuses it.
func TestBatchProductImportMedusaFile(t *testing.T) {
	t.Parallel()
	csv, err := os.ReadFile("testdata/medusa-roundtrip/medusa-products.csv")
	if err != nil {
		t.Fatal(err)
	}
	var want []map[string]any
	raw, err := os.ReadFile("testdata/medusa-roundtrip/medusa-products.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	e := resttest.New(t)
	withFiles(t, e)
	startJobs(t, e)
	// The reference shop's regions (their names are in the region price columns) and currencies.
	e.Do("POST", "/admin/store/currencies/eur", nil)
	for _, r := range []map[string]any{
		{"name": "EU", "currency_code": "eur", "tax_rate": 20, "countries": []string{"de", "fr"}},
		{"name": "NA", "currency_code": "usd", "tax_rate": 0, "countries": []string{"us", "ca"}},
	} {
		r["payment_providers"], r["fulfillment_providers"] = []string{"manual"}, []string{"manual"}
		if res := e.Do("POST", "/admin/regions", r); res.Status != 200 {
			t.Fatalf("region: %s", res.Body)
		}
	}
	variants := 0
	for _, p := range want {
		variants += len(p["variants"].([]any))
	}
	key := uploadCSV(t, e, "medusa-products.csv", string(csv))
	res := e.Do("POST", "/admin/batch-jobs", `{"type":"product-import","context":{"fileKey":"`+key+`"},"dry_run":true}`)
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	if !salesChannelsOn {
		// The file of a shop with sales channels has their columns, which an import without the
		// flag does not know (Medusa's schema adds them only with the flag): refused whole.
		j := waitStatus(t, e, id, "failed")
		want := `{"errors":[{"code":"unknown","err":{},"message":"Unable to treat column Sales channel 1 Name from the csv file. No target column found in the provided schema"}]}`
		if b, _ := json.Marshal(j["result"]); string(b) != want {
			t.Fatalf("flag off: result %s, want %s", b, want)
		}
		if n := e.Do("GET", "/admin/products", nil).JSON(t)["count"]; n != 0.0 {
			t.Fatalf("flag off: %v products after the refused import", n)
		}
		return
	}
	waitStatus(t, e, id, "pre_processed")
	count := fmt.Sprint(len(want) + variants)
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "product-import", `{"fileKey":"`+key+`"}`, "pre_processed",
		`dry_run=true;result={"advancement_count":0,"count":`+count+`,"stat_descriptors":`+importStat(len(want), 0, variants, 0)+`};pre_processed_at="$time"`)+`}`)
	e.Do("POST", "/admin/batch-jobs/"+id+"/confirm", nil)
	waitStatus(t, e, id, "completed")

	regions := map[string]string{}
	for _, r := range e.Do("GET", "/admin/regions", nil).JSON(t)["regions"].([]any) {
		r := r.(map[string]any)
		regions[r["id"].(string)] = r["name"].(string)
	}
	got := medusaNormalize(e.Do("GET", "/admin/products?limit=100", nil).JSON(t)["products"].([]any), regions)
	for _, p := range want {
		// Medusa's export writes "Option N Name" in the product's option order but "Option N
		// Value" in the order the variant's option values come from the database: for these two
		// variants the file says Size is the color and Color the size, and the import takes the
		// file at its word (Medusa's own answer, the expectation, has them right).
		for _, v := range p["variants"].([]any) {
			v := v.(map[string]any)
			if sku := v["sku"]; sku == "TEE-BLA-L" || sku == "HOO-NAV-M" {
				o := v["options"].(map[string]any)
				o["Size"], o["Color"] = o["Color"], o["Size"]
			}
		}
	}
	gotJSON, _ := json.MarshalIndent(got, "", " ")
	wantJSON, _ := json.MarshalIndent(want, "", " ")
	if string(gotJSON) != string(wantJSON) {
		gl, wl := strings.Split(string(gotJSON), "\n"), strings.Split(string(wantJSON), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("products after the import differ from Medusa's at line %d:\n got %s\nwant %s\n(got %d lines, want %d)", i+1, gl[i], wl[i], len(gl), len(wl))
			}
		}
		t.Fatalf("products after the import: %d lines, Medusa's %d", len(gl), len(wl))
	}
}

// medusaNormalize is clients/medusa-roundtrip/roundtrip.js's normalize: what a product file
// carries, in an order neither server's list order decides (prices as "cur amount" or "region
// <name> amount", option values by option title, lists sorted).
func medusaNormalize(products []any, regions map[string]string) []map[string]any {
	pick := func(o map[string]any, keys ...string) map[string]any {
		out := map[string]any{}
		for _, k := range keys {
			out[k] = o[k]
		}
		return out
	}
	list := func(v any) []map[string]any {
		var out []map[string]any
		for _, x := range v.([]any) {
			out = append(out, x.(map[string]any))
		}
		return out
	}
	var out []map[string]any
	for _, p := range products {
		p := p.(map[string]any)
		n := pick(p, "handle", "title", "subtitle", "description", "status", "thumbnail", "weight", "length", "width", "height",
			"hs_code", "origin_country", "mid_code", "material", "discountable", "external_id")
		n["collection"] = nil
		if c, ok := p["collection"].(map[string]any); ok {
			n["collection"] = map[string]any{"title": c["title"], "handle": c["handle"]}
		}
		n["type"] = nil
		if ty, ok := p["type"].(map[string]any); ok {
			n["type"] = ty["value"]
		}
		strs := func(v any, key string) []string {
			s := []string{}
			for _, x := range list(v) {
				s = append(s, x[key].(string))
			}
			sort.Strings(s)
			return s
		}
		n["tags"], n["images"], n["options"] = strs(p["tags"], "value"), strs(p["images"], "url"), strs(p["options"], "title")
		if sc, ok := p["sales_channels"]; ok {
			n["sales_channels"] = strs(sc, "name")
		}
		optTitle := map[string]string{}
		for _, o := range list(p["options"]) {
			optTitle[o["id"].(string)] = o["title"].(string)
		}
		var vs []map[string]any
		for _, v := range list(p["variants"]) {
			nv := pick(v, "title", "sku", "barcode", "inventory_quantity", "allow_backorder", "manage_inventory", "weight", "length",
				"width", "height", "hs_code", "origin_country", "mid_code", "material")
			opts := map[string]any{}
			for _, o := range list(v["options"]) {
				opts[optTitle[o["option_id"].(string)]] = o["value"]
			}
			nv["options"] = opts
			prices := []string{}
			for _, pr := range list(v["prices"]) {
				if pr["price_list_id"] != nil {
					continue
				}
				if r, ok := pr["region_id"].(string); ok {
					prices = append(prices, fmt.Sprintf("region %s %v", regions[r], pr["amount"]))
				} else {
					prices = append(prices, fmt.Sprintf("%s %v", pr["currency_code"], pr["amount"]))
				}
			}
			sort.Strings(prices)
			nv["prices"] = prices
			vs = append(vs, nv)
		}
		sort.Slice(vs, func(i, j int) bool {
			key := func(v map[string]any) string { s, _ := v["sku"].(string); return s + "|" + v["title"].(string) }
			return key(vs[i]) < key(vs[j])
		})
		n["variants"] = vs
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["handle"].(string) < out[j]["handle"].(string) })
	return out
}
