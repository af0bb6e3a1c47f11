package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// orderExport is Medusa 1.3.8's order-export strategy (strategies/batch-jobs/order/export.ts):
// a ";"-separated file with "\r\n" line ends, values written as they are, one line per order,
// the columns those of orderExportPropertiesDescriptors whose field or relation the job's
// list_config selects.
type orderExport struct{}

func init() { RegisterBatchJobType("order-export", orderExport{}) }

// orderExportPageSize is the take of list_config when the context has no limit (Medusa's
// getListConfig default; its strategy's DEFAULT_LIMIT of 100 only applies to a list_config
// without take).
const (
	orderExportPageSize    = 50
	orderExportDefaultTake = 100
)

// orderExportFields are the strategy's defaultFields_.
var orderExportFields = []string{
	"id", "display_id", "status", "created_at", "fulfillment_status", "payment_status",
	"subtotal", "shipping_total", "discount_total", "gift_card_total", "refunded_total",
	"tax_total", "total", "currency_code", "region_id",
}

func (s *Store) orderExportRelations() []string {
	rels := []string{"customer", "shipping_address"}
	if s.Config.FeatureSalesChannels {
		rels = append(rels, "sales_channel")
	}
	return rels
}

func anyStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func ctxStrings(v any) []string {
	vs, _ := v.([]any)
	out := make([]string, 0, len(vs))
	for _, e := range vs {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Prepare is the strategy's prepareBatchJobForProcessing: limit, offset, order, fields and
// expand become list_config (prepareListQuery with the strategy's default fields and
// relations), filterable_fields stays, anything else is kept.
func (orderExport) Prepare(_ context.Context, s *Store, c map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range c {
		switch k {
		case "limit", "offset", "order", "fields", "expand", "filterable_fields":
		default:
			out[k] = v
		}
	}
	lc := map[string]any{
		"select":    anyStrings(orderExportFields),
		"relations": anyStrings(s.orderExportRelations()),
		"skip":      0,
		"take":      orderExportPageSize,
		"order":     map[string]any{"created_at": "DESC"},
	}
	if e, ok := c["expand"].(string); ok && e != "" {
		lc["relations"] = anyStrings(strings.Split(e, ","))
	}
	if f, ok := c["fields"].(string); ok && f != "" {
		var sel []string
		for _, p := range append(strings.Split(f, ","), "created_at", "id") {
			if !slices.Contains(sel, p) {
				sel = append(sel, p)
			}
		}
		lc["select"] = anyStrings(sel)
	}
	return finishListConfig(out, lc, c), nil
}

// orderExportList is a job's list_config and filterable_fields as an order listing.
type orderExportList struct {
	filter    OrderFilter
	order     string // Page.Order: list_config's order
	fields    []string
	rels      []string
	skip      int
	take      int
	batchSize int
}

func orderExportListOf(j *model.BatchJob) (orderExportList, error) {
	var l orderExportList
	lc, _ := j.Context["list_config"].(map[string]any)
	l.skip, _ = ctxInt(lc, "skip")
	l.take = orderExportDefaultTake
	if n, ok := ctxInt(lc, "take"); ok && n > 0 {
		l.take = n
	}
	l.batchSize, _ = ctxInt(j.Context, "batch_size")
	if o, ok := lc["order"].(map[string]any); ok {
		for k, v := range o {
			if v == "DESC" {
				l.order = "-" + k
			} else {
				l.order = k
			}
		}
	}
	if l.order == "-created_at" {
		l.order = "" // ListOrders' default, with its tie-break on id
	}
	l.fields = ctxStrings(lc["select"])
	l.rels = ctxStrings(lc["relations"])
	ff, _ := j.Context["filterable_fields"].(map[string]any)
	f, err := orderFilterOf(ff)
	if err != nil {
		return l, err
	}
	l.filter = f
	return l, nil
}

// orderFilterOf reads the order selector of an export's filterable_fields: Medusa passes it to
// its order service's list as it is (q, and the order's columns).
func orderFilterOf(m map[string]any) (OrderFilter, error) {
	var f OrderFilter
	strs := func(k string, v any) ([]string, error) {
		switch v := v.(type) {
		case string:
			return []string{v}, nil
		case []any:
			out := []string{}
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					return nil, Invalidf("filterable_fields: %s must be strings", k)
				}
				out = append(out, s)
			}
			return out, nil
		}
		return nil, Invalidf("filterable_fields: %s must be a string or an array of strings", k)
	}
	str := func(k string, v any) (*string, error) {
		switch v := v.(type) {
		case string:
			return &v, nil
		case float64:
			s := strconv.FormatFloat(v, 'f', -1, 64)
			return &s, nil
		}
		return nil, Invalidf("filterable_fields: %s must be a string", k)
	}
	times := func(k string, v any) (*TimeRange, error) {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, Invalidf("filterable_fields: %s must be an object of date operators", k)
		}
		tr := &TimeRange{}
		for op, d := range o {
			ds, _ := d.(string)
			t, err := time.Parse(time.RFC3339Nano, ds)
			if err != nil {
				if t, err = time.Parse("2006-01-02", ds); err != nil {
					return nil, Invalidf("filterable_fields: %s.%s must be a date", k, op)
				}
			}
			switch op {
			case "lt":
				tr.Lt = &t
			case "gt":
				tr.Gt = &t
			case "lte":
				tr.Lte = &t
			case "gte":
				tr.Gte = &t
			default:
				return nil, Invalidf("filterable_fields: %s.%s is not a date operator", k, op)
			}
		}
		return tr, nil
	}
	var err error
	for k, v := range m {
		switch k {
		case "q":
			f.Q, err = str(k, v)
		case "id":
			if s, ok := v.(string); ok {
				f.ID = &s
			} else {
				f.IDs, err = strs(k, v)
			}
		case "status":
			f.Status, err = strs(k, v)
		case "fulfillment_status":
			f.FulfillmentStatus, err = strs(k, v)
		case "payment_status":
			f.PaymentStatus, err = strs(k, v)
		case "display_id":
			f.DisplayID, err = str(k, v)
		case "cart_id":
			f.CartID, err = str(k, v)
		case "customer_id":
			f.CustomerID, err = str(k, v)
		case "email":
			f.Email, err = str(k, v)
		case "region_id":
			f.RegionIDs, err = strs(k, v)
		case "currency_code":
			f.CurrencyCode, err = str(k, v)
		case "tax_rate":
			f.TaxRate, err = str(k, v)
		case "sales_channel_id":
			f.SalesChannelIDs, err = strs(k, v)
		case "canceled_at":
			f.CanceledAt, err = times(k, v)
		case "created_at":
			f.CreatedAt, err = times(k, v)
		case "updated_at":
			f.UpdatedAt, err = times(k, v)
		default:
			return f, Invalidf("filterable_fields: %s is not an order filter", k)
		}
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// countOrders counts the orders of a filter.
func (s *Store) countOrders(ctx context.Context, db bun.IDB, f OrderFilter) (int, error) {
	if f.SalesChannelIDs != nil && !s.Config.FeatureSalesChannels {
		return 0, Invalidf("property sales_channel_id should not exist")
	}
	n, err := f.apply(db.NewSelect().Model((*model.Order)(nil))).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count orders: %w", err)
	}
	return int(n), nil
}

// PreProcess says how many orders the export will write: context.batch_size when set, else
// every order the filter matches (Medusa's count ignores list_config's skip and take).
func (orderExport) PreProcess(ctx context.Context, s *Store, tx bun.Tx, j *model.BatchJob) error {
	l, err := orderExportListOf(j)
	if err != nil {
		return err
	}
	count := l.batchSize
	if count == 0 {
		if count, err = s.countOrders(ctx, tx, l.filter); err != nil {
			return err
		}
	}
	if j.Result == nil {
		j.Result = map[string]any{}
	}
	j.Result["stat_descriptors"] = []any{map[string]any{
		"key": "order-export-count", "name": "Order count to export",
		"message": fmt.Sprintf("There will be %d orders exported by this action", count),
	}}
	return s.SaveBatchJob(ctx, tx, j)
}

// orderExportColumn is one of Medusa's order descriptors: the field or relation that selects
// it, its title (some span several columns) and its value for an order.
type orderExportColumn struct {
	field, title string
	value        func(o *OrderView) string
}

func (o *OrderView) hasColumn(c string) bool { return slices.Contains(o.Columns, c) }

// totalOf is one of the order's computed totals.
func totalOf(get func(o *OrderView) int64) func(o *OrderView) string {
	return func(o *OrderView) string { return strconv.FormatInt(get(o), 10) }
}

func orderExportColumns(salesChannels bool) []orderExportColumn {
	cols := []orderExportColumn{
		{"id", "Order_ID", func(o *OrderView) string { return o.ID }},
		{"display_id", "Display_ID", func(o *OrderView) string { return strconv.Itoa(o.DisplayID) }},
		{"status", "Order status", func(o *OrderView) string { return o.Status }},
		// JavaScript's toUTCString.
		{"created_at", "Date", func(o *OrderView) string { return o.CreatedAt.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT") }},
		{"customer", "Customer First name;Customer Last name;Customer Email;Customer ID", func(o *OrderView) string {
			c := o.Customer
			if c == nil {
				return ";;;"
			}
			return exportCells(strOrEmpty(c.FirstName), strOrEmpty(c.LastName), c.Email, c.ID)
		}},
		{"shipping_address", "Shipping Address 1;Shipping Address 2;Shipping Country Code;Shipping City;Shipping Postal Code;Shipping Region ID", func(o *OrderView) string {
			v := make([]string, 6)
			if a := o.ShippingAddress; a != nil {
				v[0], v[1], v[2], v[3], v[4] = strOrEmpty(a.Address1), strOrEmpty(a.Address2), strOrEmpty(a.CountryCode), strOrEmpty(a.City), strOrEmpty(a.PostalCode)
			}
			if o.hasColumn("region_id") {
				v[5] = o.RegionID
			}
			return exportCells(v...)
		}},
		{"fulfillment_status", "Fulfillment Status", func(o *OrderView) string { return o.FulfillmentStatus }},
		{"payment_status", "Payment Status", func(o *OrderView) string { return o.PaymentStatus }},
		{"subtotal", "Subtotal", totalOf(func(o *OrderView) int64 { return o.Totals.Subtotal })},
		{"shipping_total", "Shipping Total", totalOf(func(o *OrderView) int64 { return o.Totals.ShippingTotal })},
		{"discount_total", "Discount Total", totalOf(func(o *OrderView) int64 { return o.Totals.DiscountTotal })},
		{"gift_card_total", "Gift Card Total", totalOf(func(o *OrderView) int64 { return o.Totals.GiftCardTotal })},
		{"refunded_total", "Refunded Total", totalOf(func(o *OrderView) int64 { return o.Totals.RefundedTotal })},
		{"tax_total", "Tax Total", totalOf(func(o *OrderView) int64 { return o.Totals.TaxTotal })},
		{"total", "Total", totalOf(func(o *OrderView) int64 { return o.Totals.Total })},
		{"currency_code", "Currency Code", func(o *OrderView) string { return o.CurrencyCode }},
	}
	if salesChannels {
		cols = append(cols, orderExportColumn{"sales_channel", "Sales channel name;Sales channel description", func(o *OrderView) string {
			if o.SalesChannel == nil {
				return ";"
			}
			return exportCells(o.SalesChannel.Name, strOrEmpty(o.SalesChannel.Description))
		}})
	}
	return cols
}

// lineColumns are the descriptors whose field is selected or whose relation is loaded.
func (l orderExportList) lineColumns(salesChannels bool) []orderExportColumn {
	var out []orderExportColumn
	for _, c := range orderExportColumns(salesChannels) {
		if slices.Contains(l.fields, c.field) || slices.Contains(l.rels, c.field) {
			out = append(out, c)
		}
	}
	return out
}

// Process writes the file a page of orders at a time (list_config's take per page) through the
// file store, recording file_key at once, then file_size, count, advancement_count and
// progress after each page. An interrupted export starts again from its first order in a new
// file (the unfinished one was never committed); a canceled one drops its file.
func (orderExport) Process(ctx context.Context, s *Store, j *model.BatchJob) error {
	if s.Files == nil {
		return errNoFileService()
	}
	l, err := orderExportListOf(j)
	if err != nil {
		return err
	}
	cols := l.lineColumns(s.Config.FeatureSalesChannels)
	key, w, err := s.Files.Create(ctx, fmt.Sprintf("exports/orders/order-export-%d.csv", time.Now().UnixMilli()), "text/csv")
	if err != nil {
		return fileError(err, "order export", "create export file")
	}
	committed := false
	defer func() {
		if !committed {
			w.Abort() //nolint:errcheck
		}
	}()
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	header := strings.Join(titles, exportDelimiter) + exportNewline
	if _, err := w.Write([]byte(header)); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	size := len(header)
	total := l.batchSize
	if total == 0 {
		if total, err = s.countOrders(ctx, s.DB, l.filter); err != nil {
			return err
		}
	}
	err = s.BatchStep(ctx, j.ID, func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
		if j.Result == nil {
			j.Result = map[string]any{}
		}
		j.Result["file_key"] = key
		j.Result["file_size"] = size
		delete(j.Result, "advancement_count")
		return s.SaveBatchJob(ctx, tx, j)
	})
	if err != nil {
		return s.exportStopped(ctx, j.ID, key, err)
	}
	done := 0
	line := make([]string, len(cols))
	for offset := l.skip; offset < total; {
		orders, _, err := s.ListOrders(ctx, l.filter, Page{Offset: offset, Limit: min(total-offset, l.take), Order: l.order, Find: Find{Fields: l.fields, Expand: l.rels}})
		if err != nil {
			return err
		}
		if len(orders) == 0 {
			break
		}
		var buf strings.Builder
		for _, o := range orders {
			for i, c := range cols {
				if strings.Contains(c.title, exportDelimiter) {
					line[i] = c.value(o) // several columns, each written by exportCells
				} else {
					line[i] = exportCell(c.value(o))
				}
			}
			buf.WriteString(strings.Join(line, exportDelimiter))
			buf.WriteString(exportNewline)
		}
		if _, err := w.Write([]byte(buf.String())); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		size += buf.Len()
		done += len(orders)
		offset += len(orders)
		err = s.BatchStep(ctx, j.ID, func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
			j.Result["file_size"] = size
			j.Result["count"] = total
			j.Result["advancement_count"] = done
			j.Result["progress"] = float64(done) / float64(total)
			return s.SaveBatchJob(ctx, tx, j)
		})
		if err != nil {
			return s.exportStopped(ctx, j.ID, key, err)
		}
	}
	if err := w.Commit(); err != nil {
		return fileError(err, key, "store export file")
	}
	committed = true
	return nil
}
