-- Lists in the web pages (issue 17): the permits page counts and charts
-- every permit its filters select, by status, window and share used; this
-- index covers those figures so that they are read without the wide rows.
CREATE INDEX permits_lists ON permits (holder, call_id, status, valid_to, quantity, quantity_used);
