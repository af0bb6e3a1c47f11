package rest_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// The product export's file, column by column as Medusa 1.3.8 writes it (checked against its
// strategy run on a copy of the reference shop: same columns and values).
func TestBatchProductExport(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	withFiles(t, e)
	startJobs(t, e)
	e.Do("POST", "/admin/store/currencies/eur", nil)
	rres := e.Do("POST", "/admin/regions", map[string]any{"name": "Nordics", "currency_code": "eur", "tax_rate": 0,
		"payment_providers": []string{"manual"}, "fulfillment_providers": []string{"manual"}, "countries": []string{"se"}})
	if rres.Status != 200 {
		t.Fatalf("region: %s", rres.Body)
	}
	region := rres.JSON(t)["region"].(map[string]any)["id"].(string)
	collection := e.Do("POST", "/admin/collections", map[string]any{"title": "Summer", "handle": "summer"}).JSON(t)["collection"].(map[string]any)["id"].(string)
	channel := ""
	if salesChannelsOn {
		channel = e.Do("POST", "/admin/sales-channels", map[string]any{"name": "Web", "description": "web shop"}).JSON(t)["sales_channel"].(map[string]any)["id"].(string)
	}
	shirt := e.Do("POST", "/admin/products", ptFullBody(region, collection, channel)).JSON(t)["product"].(map[string]any)
	mug := e.Do("POST", "/admin/products", map[string]any{"title": "Mug", "variants": []any{map[string]any{"title": "One", "sku": "MUG", "prices": []any{map[string]any{"currency_code": "usd", "amount": 500}}}}}).JSON(t)["product"].(map[string]any)

	res := e.Do("POST", "/admin/batch-jobs", `{"type":"product-export","context":{}}`)
	rels := `"variants","variants.prices","variants.options","images","options","tags","type","collection","variants.prices.region"`
	if salesChannelsOn {
		rels = `"variants","variants.prices","variants.options","images","options","tags","type","collection","sales_channels","variants.prices.region","sales_channels"`
	}
	listConfig := `{"list_config":{"relations":[` + rels + `],"skip":0,"take":50,"order":{"created_at":"DESC"}}}`
	res.Expect(t, 201, `{"batch_job":`+jobJSON(e.AdminID, "product-export", listConfig, "created", "")+`}`)
	id := res.JSON(t)["batch_job"].(map[string]any)["id"].(string)
	j := waitStatus(t, e, id, "completed")
	scCount := "0"
	if salesChannelsOn {
		scCount = "1"
	}
	shape := `"shape":{"dynamicImageColumnCount":2,"dynamicOptionColumnCount":2,"dynamicSalesChannelsColumnCount":` + scCount + `,"prices":[{"currency_code":"usd","region":null},{"currency_code":"eur","region":{"currency_code":"eur","name":"Nordics","id":"` + region + `"}},{"currency_code":"eur","region":null}]}`
	e.Do("GET", "/admin/batch-jobs/"+id, nil).Expect(t, 200, `{"batch_job":`+jobJSON(e.AdminID, "product-export", strings.TrimSuffix(listConfig, "}")+","+shape+"}", "completed",
		`result={"stat_descriptors":[{"key":"product-export-count","name":"Product count to export","message":"There will be 2 products exported by this action"}],"file_key":"$string","file_size":"$any","count":2,"advancement_count":2,"progress":1};pre_processed_at="$time";confirmed_at="$time";processing_at="$time";completed_at="$time"`)+`}`)

	key := j["result"].(map[string]any)["file_key"].(string)
	if !strings.HasPrefix(key, "product-export-") || !strings.HasSuffix(key, ".csv") {
		t.Errorf("file key %q", key)
	}
	f, err := e.Store.Files.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, _ := io.ReadAll(f)
	if int(j["result"].(map[string]any)["file_size"].(float64)) != len(raw) {
		t.Errorf("file_size %v, file has %d bytes", j["result"].(map[string]any)["file_size"], len(raw))
	}
	vs := shirt["variants"].([]any)
	v1, v2 := vs[0].(map[string]any)["id"].(string), vs[1].(map[string]any)["id"].(string)
	mv := mug["variants"].([]any)[0].(map[string]any)["id"].(string)
	header := "Product ID;Product Handle;Product Title;Product Subtitle;Product Description;Product Status;Product Thumbnail;Product Weight;Product Length;Product Width;Product Height;Product HS Code;Product Origin Country;Product MID Code;Product Material;Product Collection Title;Product Collection Handle;Product Type;Product Tags;Product Discountable;Product External ID;Product Profile Name;Product Profile Type;Variant ID;Variant Title;Variant SKU;Variant Barcode;Variant Inventory Quantity;Variant Allow backorder;Variant Manage inventory;Variant Weight;Variant Length;Variant Width;Variant Height;Variant HS Code;Variant Origin Country;Variant MID Code;Variant Material;Price USD;Price EUR;Price Nordics [EUR];Option 1 Name;Option 1 Value;Option 2 Name;Option 2 Value;Image 1 Url;Image 2 Url"
	mugSC, shirtSC := "", ""
	if salesChannelsOn {
		header += ";Sales channel 1 Name;Sales channel 1 Description"
		mugSC, shirtSC = ";;", ";Web;web shop" // the test shop has no default channel
	}
	shirtCols := shirt["id"].(string) + ";classic-t-shirt;Classic T-Shirt;sub;desc;draft;https://img.test/a.png;100;;;;;;;;Summer;summer;Shirt;cotton,summer;true;;;;"
	want := header + "\r\n" +
		mug["id"].(string) + ";mug;Mug;;;draft;;;;;;;;;;;;;;true;;;;" + mv + ";One;MUG;;0;false;true;;;;;;;;;500;;;;;;;;" + mugSC + "\r\n" +
		shirtCols + v1 + ";S / Red;TS-S-R;;3;true;true;;;;;;;;;1000;900;900;Size;S;Color;Red;https://img.test/a.png;https://img.test/b.png" + shirtSC + "\r\n" +
		shirtCols + v2 + ";M / Red;;;0;false;true;;;;;;;;;;1100;;Size;M;Color;Red;https://img.test/a.png;https://img.test/b.png" + shirtSC + "\r\n"
	if string(raw) != want {
		t.Errorf("file:\n%q\nwant:\n%q", raw, want)
	}
}
