-- Lists in the web pages (issue 17). The permits page counts every permit
-- its filters select, its charts count them by status, window and use, and
-- the crossings page counts the issued permits of each crossing:
-- permits_lists covers those figures so that they are read without the
-- wide rows. The worklists count plans by call and status: plans_lists
-- covers that count.
CREATE INDEX permits_lists ON permits (holder, call_id, status, valid_to, crossing, quantity, quantity_used);
CREATE INDEX plans_lists ON plans (call_id, status, org_id);
