BEGIN TRANSACTION;
CREATE TABLE access_requests (
	id INTEGER NOT NULL, 
	company_id INTEGER NOT NULL, 
	requester_id VARCHAR(254) NOT NULL, 
	tools VARCHAR(200) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	created_at DATETIME NOT NULL, 
	decided_by VARCHAR(254), 
	decided_at DATETIME, 
	CONSTRAINT pk_access_requests PRIMARY KEY (id), 
	CONSTRAINT fk_access_requests_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE, 
	CONSTRAINT fk_access_requests_requester_id_users FOREIGN KEY(requester_id) REFERENCES users (user_id) ON DELETE CASCADE
);
CREATE TABLE action_keys (
	"key" VARCHAR(64) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	outcome VARCHAR(255) NOT NULL, 
	actor VARCHAR(255), 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_action_keys PRIMARY KEY ("key", kind)
);
CREATE TABLE agent_presence (
	connection VARCHAR(64) NOT NULL, 
	agent VARCHAR(255) NOT NULL, 
	seen_at DATETIME NOT NULL, 
	PRIMARY KEY (connection)
);
CREATE TABLE companies (
	id INTEGER NOT NULL, 
	customer_number VARCHAR(32) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	locale VARCHAR(10) NOT NULL, 
	CONSTRAINT pk_companies PRIMARY KEY (id), 
	CONSTRAINT uq_companies_customer_number UNIQUE (customer_number)
);
INSERT INTO "companies" VALUES(1,'1000123','Nordisk Verkstad AB','SE','SEK','sv');
INSERT INTO "companies" VALUES(2,'2000456','Contoso GmbH','DE','EUR','en');
CREATE TABLE contract_versions (
	id INTEGER NOT NULL, 
	contract_id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	summary VARCHAR(500) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	document_text TEXT NOT NULL, 
	signed_by VARCHAR(254), 
	signed_at DATETIME, 
	CONSTRAINT pk_contract_versions PRIMARY KEY (id), 
	CONSTRAINT uq_contract_versions_contract_id_version UNIQUE (contract_id, version), 
	CONSTRAINT fk_contract_versions_contract_id_contracts FOREIGN KEY(contract_id) REFERENCES contracts (id) ON DELETE CASCADE
);
INSERT INTO "contract_versions" VALUES(1,1,1,'2022-11-29 09:00:00.000000','Initial agreement: IBM AIX 7.2 subscription and support, 20 cores','881a954238abe82013651eadda118242fda90974f33b353e45e1a6ba7d26f2e2','Contract C-0950 version 1
Customer: Nordisk Verkstad AB (1000123)

Software subscription: IBM AIX 7.2

Subscription and support for IBM AIX 7.2, 20 processor cores.
Support during business hours, next-business-day response.
','anna.berg@nordisk.example','2022-12-01 15:00:00.000000');
INSERT INTO "contract_versions" VALUES(2,2,1,'2023-03-30 09:00:00.000000','Initial agreement: IBM Power S1022 (serial 78ABC12) at Kista, next-business-day response','e87d2b5fe9d265f6aec2198fb4c8b8fa787bbc0fa257c9401d3c593332082ba6','Contract C-1001 version 1
Customer: Nordisk Verkstad AB (1000123)

Hardware maintenance: IBM Power S1022 and storage

Maintenance of IBM Power S1022, serial 78ABC12, installed at Kista.
Service: next-business-day on-site response.
Annual fee: 84 000,00 SEK.
','anna.berg@nordisk.example','2023-04-01 15:00:00.000000');
INSERT INTO "contract_versions" VALUES(3,2,2,'2025-02-11 09:00:00.000000','Amendment 1: 24x7 service with 4-hour response; annual fee 96 000,00 SEK','fe6ed180c481f5a1e639c11486a78858f8a2274b6fb4d6bf12e379c358c9c7ae','Contract C-1001 version 2
Customer: Nordisk Verkstad AB (1000123)

Hardware maintenance: IBM Power S1022 and storage

Maintenance of IBM Power S1022, serial 78ABC12, installed at Kista.
Service: 24x7 on-site response within 4 hours.
Annual fee: 96 000,00 SEK.
','anna.berg@nordisk.example','2025-02-13 15:00:00.000000');
INSERT INTO "contract_versions" VALUES(4,3,1,'2025-08-20 09:00:00.000000','Initial agreement: IBM Storage Protect subscription and support, 10 front-end TB','b312e45830cb48ea8b773942ded71482f84081cecf4adc7360d60db021e32b51','Contract C-2001 version 1
Customer: Contoso GmbH (2000456)

Software subscription: IBM Storage Protect

Subscription and support for IBM Storage Protect, 10 front-end TB.
Support during business hours, next-business-day response.
Annual fee: 13 800,00 EUR.
','max.muller@contoso.example','2025-08-22 15:00:00.000000');
CREATE TABLE contracts (
	id INTEGER NOT NULL, 
	number VARCHAR(32) NOT NULL, 
	company_id INTEGER NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	starts_on DATE NOT NULL, 
	ends_on DATE NOT NULL, 
	notice_days INTEGER NOT NULL, 
	annual_value_minor BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	service_level VARCHAR(100), 
	CONSTRAINT pk_contracts PRIMARY KEY (id), 
	CONSTRAINT uq_contracts_number UNIQUE (number), 
	CONSTRAINT fk_contracts_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE
);
INSERT INTO "contracts" VALUES(1,'C-0950',1,'Software subscription: IBM AIX 7.2','software_subscription','expired','2022-12-09','2025-12-08',60,1800000,'SEK','business hours');
INSERT INTO "contracts" VALUES(2,'C-1001',1,'Hardware maintenance: IBM Power S1022 and storage','hardware_maintenance','active','2023-04-13','2026-04-12',30,9600000,'SEK','24x7, 4-hour response');
INSERT INTO "contracts" VALUES(3,'C-2001',2,'Software subscription: IBM Storage Protect','software_subscription','active','2025-08-30','2027-08-30',90,1380000,'EUR','business hours, next-business-day response');
CREATE TABLE conversation_refs (
	channel VARCHAR(32) NOT NULL, 
	user_id VARCHAR(255) NOT NULL, 
	reference JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (channel, user_id)
);
CREATE TABLE conversations (
	"key" VARCHAR(255) NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	user_id VARCHAR(255), 
	language VARCHAR(8) NOT NULL, 
	state JSON NOT NULL, 
	seq INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "conversations" VALUES('web:upgrade-test','web','anna.berg@nordisk.example','en','{"memory": {"current": {"order": {"type": "order_number", "value": "4711"}}, "recent": {"order": [{"type": "order_number", "value": "4711"}]}, "last_intent": "order.status"}, "misses": 0}',2,'2026-12-03 07:42:44.042477','2026-12-03 07:42:44.042477');
CREATE TABLE credit_notes (
	id INTEGER NOT NULL, 
	number VARCHAR(32) NOT NULL, 
	company_id INTEGER NOT NULL, 
	invoice_id INTEGER, 
	issued_on DATE NOT NULL, 
	total_minor BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	reason VARCHAR(500) NOT NULL, 
	CONSTRAINT pk_credit_notes PRIMARY KEY (id), 
	CONSTRAINT uq_credit_notes_number UNIQUE (number), 
	CONSTRAINT fk_credit_notes_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE, 
	CONSTRAINT fk_credit_notes_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE SET NULL
);
INSERT INTO "credit_notes" VALUES(1,'CN-0107',1,3,'2026-02-01',500000,'SEK','Price reduction: installation service for order 4690 took less time than quoted');
CREATE TABLE files (
	id VARCHAR(64) NOT NULL, 
	owner VARCHAR(255), 
	name VARCHAR(255) NOT NULL, 
	content_type VARCHAR(128) NOT NULL, 
	tool VARCHAR(32), 
	data BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE grants (
	user_id VARCHAR(254) NOT NULL, 
	tool VARCHAR(20) NOT NULL, 
	CONSTRAINT pk_grants PRIMARY KEY (user_id, tool), 
	CONSTRAINT fk_grants_user_id_users FOREIGN KEY(user_id) REFERENCES users (user_id) ON DELETE CASCADE
);
INSERT INTO "grants" VALUES('anna.berg@nordisk.example','orders');
INSERT INTO "grants" VALUES('anna.berg@nordisk.example','invoices');
INSERT INTO "grants" VALUES('anna.berg@nordisk.example','statements');
INSERT INTO "grants" VALUES('anna.berg@nordisk.example','contracts');
INSERT INTO "grants" VALUES('anna.berg@nordisk.example','inventory');
INSERT INTO "grants" VALUES('anna.berg@nordisk.example','requests');
INSERT INTO "grants" VALUES('erik.lund@nordisk.example','orders');
INSERT INTO "grants" VALUES('erik.lund@nordisk.example','requests');
INSERT INTO "grants" VALUES('max.muller@contoso.example','orders');
INSERT INTO "grants" VALUES('max.muller@contoso.example','invoices');
INSERT INTO "grants" VALUES('max.muller@contoso.example','statements');
INSERT INTO "grants" VALUES('max.muller@contoso.example','contracts');
INSERT INTO "grants" VALUES('max.muller@contoso.example','inventory');
INSERT INTO "grants" VALUES('max.muller@contoso.example','requests');
CREATE TABLE handoff_threads (
	number VARCHAR(32) NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	place VARCHAR(64) NOT NULL, 
	thread VARCHAR(64), 
	owner VARCHAR(255), 
	seq INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (number, channel)
);
CREATE TABLE handoffs (
	id INTEGER NOT NULL, 
	number VARCHAR(32), 
	conversation_key VARCHAR(255) NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	user_id VARCHAR(255), 
	status VARCHAR(16) NOT NULL, 
	agent VARCHAR(255), 
	created_at DATETIME NOT NULL, 
	taken_at DATETIME, 
	closed_at DATETIME, 
	resolution TEXT, 
	PRIMARY KEY (id), 
	UNIQUE (number)
);
CREATE TABLE identity_links (
	channel VARCHAR(20) NOT NULL, 
	external_id VARCHAR(255) NOT NULL, 
	user_id VARCHAR(254) NOT NULL, 
	linked_at DATETIME NOT NULL, 
	matched_by VARCHAR(40) NOT NULL, 
	CONSTRAINT pk_identity_links PRIMARY KEY (channel, external_id), 
	CONSTRAINT fk_identity_links_user_id_users FOREIGN KEY(user_id) REFERENCES users (user_id) ON DELETE CASCADE
);
CREATE TABLE inventory_items (
	id INTEGER NOT NULL, 
	company_id INTEGER NOT NULL, 
	serial VARCHAR(64) NOT NULL, 
	product VARCHAR(200) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	site_id INTEGER NOT NULL, 
	location VARCHAR(200), 
	installed_on DATE, 
	contract_id INTEGER, 
	service_level VARCHAR(100), 
	maintenance_until DATE, 
	leased_until DATE, 
	CONSTRAINT pk_inventory_items PRIMARY KEY (id), 
	CONSTRAINT uq_inventory_items_company_id_serial UNIQUE (company_id, serial), 
	CONSTRAINT fk_inventory_items_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE, 
	CONSTRAINT fk_inventory_items_site_id_sites FOREIGN KEY(site_id) REFERENCES sites (id) ON DELETE CASCADE, 
	CONSTRAINT fk_inventory_items_contract_id_contracts FOREIGN KEY(contract_id) REFERENCES contracts (id) ON DELETE SET NULL
);
INSERT INTO "inventory_items" VALUES(1,1,'78ABC12','IBM Power S1022','hardware',1,'Server room 2, rack B4','2023-04-20',2,'24x7, 4-hour response','2026-04-12',NULL);
INSERT INTO "inventory_items" VALUES(2,1,'78XYZ34','IBM FlashSystem 5200','hardware',2,'Data hall 1, rack 12','2025-11-18',NULL,'next business day (lease)',NULL,'2027-04-22');
INSERT INTO "inventory_items" VALUES(3,1,'5765-CD3-0042','IBM AIX 7.3 Standard Edition (20 cores)','software',1,'Server room 2, rack B4','2025-10-04',NULL,NULL,NULL,NULL);
INSERT INTO "inventory_items" VALUES(4,2,'78DEF56','IBM Power S1014','hardware',3,'Rechenzentrum, Reihe 3','2026-02-26',NULL,NULL,NULL,NULL);
INSERT INTO "inventory_items" VALUES(5,2,'5725-W98-0117','IBM Storage Protect (10 TB)','software',3,NULL,'2025-09-09',3,'business hours, next-business-day response','2027-08-30',NULL);
CREATE TABLE invoice_events (
	id INTEGER NOT NULL, 
	invoice_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	actor VARCHAR(254) NOT NULL, 
	detail VARCHAR(500) NOT NULL, 
	delivery VARCHAR(16), 
	delivered_at DATETIME, 
	CONSTRAINT pk_invoice_events PRIMARY KEY (id), 
	CONSTRAINT fk_invoice_events_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE CASCADE
);
CREATE TABLE invoice_lines (
	id INTEGER NOT NULL, 
	invoice_id INTEGER NOT NULL, 
	line_no INTEGER NOT NULL, 
	description VARCHAR(300) NOT NULL, 
	quantity INTEGER NOT NULL, 
	unit_price_minor BIGINT NOT NULL, 
	vat_rate VARCHAR(8) NOT NULL, 
	net_minor BIGINT NOT NULL, 
	vat_minor BIGINT NOT NULL, 
	CONSTRAINT pk_invoice_lines PRIMARY KEY (id), 
	CONSTRAINT uq_invoice_lines_invoice_id_line_no UNIQUE (invoice_id, line_no), 
	CONSTRAINT fk_invoice_lines_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE CASCADE
);
INSERT INTO "invoice_lines" VALUES(1,1,1,'5765-CD3 IBM AIX 7.3 Standard Edition, per core',20,145000,'25',2900000,725000);
INSERT INTO "invoice_lines" VALUES(2,2,1,'4662-6H2 IBM FlashSystem 5200 NVMe control enclosure',1,36500000,'25',36500000,9125000);
INSERT INTO "invoice_lines" VALUES(3,3,1,'EN1A PCIe3 32 Gb 2-port Fibre Channel adapter',2,1450000,'25',2900000,725000);
INSERT INTO "invoice_lines" VALUES(4,3,2,'SVC-INST Installation and configuration service',1,2100000,'25',2100000,525000);
INSERT INTO "invoice_lines" VALUES(5,4,1,'4662-12G IBM FlashSystem 5200 2U12 expansion enclosure',1,6400000,'25',6400000,1600000);
INSERT INTO "invoice_lines" VALUES(6,5,1,'EM6Y 64 GB DDR4 DDIMM memory for IBM Power S1022',4,1250000,'25',5000000,1250000);
INSERT INTO "invoice_lines" VALUES(7,5,2,'AHS4 IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module',2,2000000,'25',4000000,1000000);
INSERT INTO "invoice_lines" VALUES(8,5,3,'SVC-INST Installation and configuration service',1,1000000,'25',1000000,250000);
INSERT INTO "invoice_lines" VALUES(9,6,1,'5725-W98 IBM Storage Protect, per front-end TB',10,115000,'19',1150000,218500);
INSERT INTO "invoice_lines" VALUES(10,7,1,'EN1A PCIe3 32 Gb 2-port Fibre Channel adapter',2,145000,'19',290000,55100);
INSERT INTO "invoice_lines" VALUES(11,8,1,'9105-41B IBM Power S1014 server (4U, 1-socket, 8-core Power10)',1,1490000,'19',1490000,283100);
INSERT INTO "invoice_lines" VALUES(12,8,2,'SVC-INST Installation and configuration service',1,350000,'19',350000,66500);
CREATE TABLE invoices (
	id INTEGER NOT NULL, 
	number VARCHAR(32) NOT NULL, 
	company_id INTEGER NOT NULL, 
	order_id INTEGER, 
	issued_on DATE NOT NULL, 
	due_on DATE NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	net_minor BIGINT NOT NULL, 
	vat_minor BIGINT NOT NULL, 
	total_minor BIGINT NOT NULL, 
	paid_minor BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	approved_by VARCHAR(254), 
	approved_at DATETIME, 
	CONSTRAINT pk_invoices PRIMARY KEY (id), 
	CONSTRAINT uq_invoices_number UNIQUE (number), 
	CONSTRAINT fk_invoices_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE, 
	CONSTRAINT fk_invoices_order_id_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE SET NULL
);
INSERT INTO "invoices" VALUES(1,'INV-2011',1,8,'2025-10-04','2025-11-03','paid',2900000,725000,3625000,3625000,'SEK','anna.berg@nordisk.example','2025-10-06 10:00:00.000000');
INSERT INTO "invoices" VALUES(2,'INV-2018',1,7,'2025-11-17','2025-12-17','paid',36500000,9125000,45625000,45625000,'SEK','anna.berg@nordisk.example','2025-11-19 10:00:00.000000');
INSERT INTO "invoices" VALUES(3,'INV-2032',1,5,'2026-01-22','2026-02-21','paid',5000000,1250000,6250000,6250000,'SEK','anna.berg@nordisk.example','2026-01-24 10:00:00.000000');
INSERT INTO "invoices" VALUES(4,'INV-2030',1,4,'2026-02-20','2026-03-22','paid',6400000,1600000,8000000,8000000,'SEK','anna.berg@nordisk.example','2026-02-22 10:00:00.000000');
INSERT INTO "invoices" VALUES(5,'INV-2031',1,1,'2026-03-16','2026-04-15','awaiting_approval',10000000,2500000,12500000,0,'SEK',NULL,NULL);
INSERT INTO "invoices" VALUES(6,'INV-3041',2,10,'2026-01-02','2026-02-01','paid',1150000,218500,1368500,1368500,'EUR','max.muller@contoso.example','2026-01-04 10:00:00.000000');
INSERT INTO "invoices" VALUES(7,'INV-3046',2,11,'2026-02-01','2026-03-03','paid',290000,55100,345100,345100,'EUR','max.muller@contoso.example','2026-02-03 10:00:00.000000');
INSERT INTO "invoices" VALUES(8,'INV-3050',2,9,'2026-02-21','2026-03-07','overdue',1840000,349600,2189600,0,'EUR','max.muller@contoso.example','2026-02-23 10:00:00.000000');
CREATE TABLE mail_outbox (
	id INTEGER NOT NULL, 
	message_id VARCHAR(255) NOT NULL, 
	recipients VARCHAR(1000) NOT NULL, 
	message BLOB NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	claimed_until DATETIME, 
	claimed_by VARCHAR(64), 
	last_error VARCHAR(500), 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	reference VARCHAR(255), 
	PRIMARY KEY (id)
);
INSERT INTO "mail_outbox" VALUES(1,'<179628376405.11710.18076270045125006491@vendor.example>','anna.berg@nordisk.example',X'46726F6D3A20437573746F6D657220737570706F7274203C737570706F72744076656E646F722E6578616D706C653E0A546F3A20616E6E612E62657267406E6F726469736B2E6578616D706C650A5375626A6563743A206B6570740A446174653A205468752C2030332044656320323032362030373A34323A3434202B303030300A4D6573736167652D49443A203C3137393632383337363430352E31313731302E31383037363237303034353132353030363439314076656E646F722E6578616D706C653E0A4D494D452D56657273696F6E3A20312E300A436F6E74656E742D547970653A206D756C7469706172742F616C7465726E61746976653B0A20626F756E646172793D223D3D3D3D3D3D3D3D3D3D3D3D3D3D3D373937363038353730303337333236393633333D3D220A436F6E74656E742D4C616E67756167653A20656E0A0A2D2D3D3D3D3D3D3D3D3D3D3D3D3D3D3D3D373937363038353730303337333236393633333D3D0A436F6E74656E742D547970653A20746578742F706C61696E3B20636861727365743D227574662D38220A436F6E74656E742D5472616E736665722D456E636F64696E673A20376269740A0A6120717565756564206D61696C0A0A2D2D3D3D3D3D3D3D3D3D3D3D3D3D3D3D3D373937363038353730303337333236393633333D3D0A436F6E74656E742D547970653A20746578742F68746D6C3B20636861727365743D227574662D38220A436F6E74656E742D5472616E736665722D456E636F64696E673A2071756F7465642D7072696E7461626C650A4D494D452D56657273696F6E3A20312E300A0A3C21444F43545950452068746D6C3E0A3C68746D6C206C616E673D334422656E22206469723D3344226C7472223E0A3C686561643E0A3C6D65746120636861727365743D3344227574662D38223E0A3C6D657461206E616D653D33442276696577706F72742220636F6E74656E743D33442277696474683D33446465766963652D77696474682C20696E697469616C2D7363616C653D334431223E0A3C6D657461206E616D653D334422636F6C6F722D736368656D652220636F6E74656E743D3344226C69676874223E0A3C7469746C653E6B6570743C2F7469746C653E0A3C2F686561643E0A3C626F6479207374796C653D3344226D617267696E3A20303B2070616464696E673A20303B206261636B67726F756E642D636F6C6F723A20236633663466363B223E0A3C7461626C6520726F6C653D33442270726573656E746174696F6E222077696474683D33442231303025222063656C6C70616464696E673D33442230222063656C6C73706163696E673D3344223D0A302220626F726465723D3344223022207374796C653D3344226261636B67726F756E642D636F6C6F723A20236633663466363B223E0A3C74723E3C746420616C69676E3D33442263656E74657222207374796C653D33442270616464696E673A203234707820313270783B223E0A3C7461626C6520726F6C653D33442270726573656E746174696F6E222077696474683D33442231303025222063656C6C70616464696E673D33442230222063656C6C73706163696E673D3344223D0A302220626F726465723D3344223022207374796C653D3344226D61782D77696474683A2036303070783B206261636B67726F756E642D636F6C6F723A20236666666666663B20626F726465723A3D0A2031707820736F6C696420236430643764653B20626F726465722D7261646975733A203670783B223E0A3C74723E3C7464207374796C653D33442270616464696E673A20323470783B20666F6E742D66616D696C793A202D6170706C652D73797374656D2C20275365676F65205549272C20526F626F743D0A6F2C2048656C7665746963612C20417269616C2C2073616E732D73657269663B20666F6E742D73697A653A20313670783B206C696E652D6865696768743A20312E353B20636F6C6F723A2023313D0A66323332383B20746578742D616C69676E3A206C6566743B206F766572666C6F772D777261703A20627265616B2D776F72643B20776F72642D777261703A20627265616B2D776F72643B223E0A3C70207374796C653D3344226D617267696E3A20302030203136707820303B223E6120717565756564206D61696C3C2F703E0A3C2F74643E3C2F74723E0A3C2F7461626C653E0A3C2F74643E3C2F74723E0A3C2F7461626C653E0A3C2F626F64793E0A3C2F68746D6C3E0A0A2D2D3D3D3D3D3D3D3D3D3D3D3D3D3D3D3D373937363038353730303337333236393633333D3D2D2D0A','sent',1,'2026-12-03 07:42:44.055822',NULL,NULL,NULL,'2026-12-03 07:42:44.055822','2026-12-03 07:42:44.063170',NULL);
CREATE TABLE order_events (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	at DATETIME NOT NULL, 
	CONSTRAINT pk_order_events PRIMARY KEY (id), 
	CONSTRAINT fk_order_events_order_id_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE
);
INSERT INTO "order_events" VALUES(1,1,'received','2026-03-06 09:14:00.000000');
INSERT INTO "order_events" VALUES(2,1,'confirmed','2026-03-07 10:00:00.000000');
INSERT INTO "order_events" VALUES(3,1,'in_production','2026-03-09 07:00:00.000000');
INSERT INTO "order_events" VALUES(4,1,'shipped','2026-03-16 14:00:00.000000');
INSERT INTO "order_events" VALUES(5,2,'received','2026-03-13 13:14:00.000000');
INSERT INTO "order_events" VALUES(6,2,'confirmed','2026-03-14 09:00:00.000000');
INSERT INTO "order_events" VALUES(7,2,'in_production','2026-03-16 08:00:00.000000');
INSERT INTO "order_events" VALUES(8,3,'received','2026-02-26 11:14:00.000000');
INSERT INTO "order_events" VALUES(9,3,'confirmed','2026-02-27 15:00:00.000000');
INSERT INTO "order_events" VALUES(10,4,'received','2026-02-11 10:14:00.000000');
INSERT INTO "order_events" VALUES(11,4,'confirmed','2026-02-12 09:00:00.000000');
INSERT INTO "order_events" VALUES(12,4,'in_production','2026-02-14 08:00:00.000000');
INSERT INTO "order_events" VALUES(13,4,'shipped','2026-02-18 16:00:00.000000');
INSERT INTO "order_events" VALUES(14,4,'delivered','2026-02-20 11:00:00.000000');
INSERT INTO "order_events" VALUES(15,5,'received','2026-01-15 08:14:00.000000');
INSERT INTO "order_events" VALUES(16,5,'confirmed','2026-01-16 10:00:00.000000');
INSERT INTO "order_events" VALUES(17,5,'in_production','2026-01-17 09:00:00.000000');
INSERT INTO "order_events" VALUES(18,5,'shipped','2026-01-20 15:00:00.000000');
INSERT INTO "order_events" VALUES(19,5,'delivered','2026-01-22 12:00:00.000000');
INSERT INTO "order_events" VALUES(20,6,'received','2025-12-13 14:14:00.000000');
INSERT INTO "order_events" VALUES(21,6,'cancelled','2025-12-15 09:00:00.000000');
INSERT INTO "order_events" VALUES(22,7,'received','2025-11-08 09:14:00.000000');
INSERT INTO "order_events" VALUES(23,7,'confirmed','2025-11-09 09:00:00.000000');
INSERT INTO "order_events" VALUES(24,7,'in_production','2025-11-11 08:00:00.000000');
INSERT INTO "order_events" VALUES(25,7,'shipped','2025-11-14 17:00:00.000000');
INSERT INTO "order_events" VALUES(26,7,'delivered','2025-11-16 10:00:00.000000');
INSERT INTO "order_events" VALUES(27,8,'received','2025-09-29 10:14:00.000000');
INSERT INTO "order_events" VALUES(28,8,'confirmed','2025-09-29 15:00:00.000000');
INSERT INTO "order_events" VALUES(29,8,'shipped','2025-10-01 09:00:00.000000');
INSERT INTO "order_events" VALUES(30,8,'delivered','2025-10-02 13:00:00.000000');
INSERT INTO "order_events" VALUES(31,9,'received','2026-02-16 08:14:00.000000');
INSERT INTO "order_events" VALUES(32,9,'confirmed','2026-02-17 09:00:00.000000');
INSERT INTO "order_events" VALUES(33,9,'in_production','2026-02-18 07:00:00.000000');
INSERT INTO "order_events" VALUES(34,9,'shipped','2026-02-21 15:00:00.000000');
INSERT INTO "order_events" VALUES(35,9,'delivered','2026-02-24 10:00:00.000000');
INSERT INTO "order_events" VALUES(36,10,'received','2025-12-28 09:14:00.000000');
INSERT INTO "order_events" VALUES(37,10,'confirmed','2025-12-28 14:00:00.000000');
INSERT INTO "order_events" VALUES(38,10,'shipped','2025-12-30 10:00:00.000000');
INSERT INTO "order_events" VALUES(39,10,'delivered','2026-01-01 12:00:00.000000');
INSERT INTO "order_events" VALUES(40,11,'received','2026-01-27 11:14:00.000000');
INSERT INTO "order_events" VALUES(41,11,'confirmed','2026-01-28 09:00:00.000000');
INSERT INTO "order_events" VALUES(42,11,'shipped','2026-01-30 16:00:00.000000');
INSERT INTO "order_events" VALUES(43,11,'delivered','2026-02-01 10:00:00.000000');
INSERT INTO "order_events" VALUES(44,12,'received','2026-03-10 10:14:00.000000');
INSERT INTO "order_events" VALUES(45,12,'confirmed','2026-03-11 09:00:00.000000');
INSERT INTO "order_events" VALUES(46,12,'shipped','2026-03-17 15:00:00.000000');
INSERT INTO "order_events" VALUES(47,13,'received','2026-03-15 13:14:00.000000');
INSERT INTO "order_events" VALUES(48,13,'confirmed','2026-03-16 10:00:00.000000');
CREATE TABLE order_lines (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	line_no INTEGER NOT NULL, 
	product_code VARCHAR(64) NOT NULL, 
	description VARCHAR(300) NOT NULL, 
	quantity INTEGER NOT NULL, 
	unit_price_minor BIGINT NOT NULL, 
	total_minor BIGINT NOT NULL, 
	CONSTRAINT pk_order_lines PRIMARY KEY (id), 
	CONSTRAINT uq_order_lines_order_id_line_no UNIQUE (order_id, line_no), 
	CONSTRAINT fk_order_lines_order_id_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE
);
INSERT INTO "order_lines" VALUES(1,1,1,'EM6Y','64 GB DDR4 DDIMM memory for IBM Power S1022',4,1250000,5000000);
INSERT INTO "order_lines" VALUES(2,1,2,'AHS4','IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module',2,2000000,4000000);
INSERT INTO "order_lines" VALUES(3,1,3,'SVC-INST','Installation and configuration service',1,1000000,1000000);
INSERT INTO "order_lines" VALUES(4,2,1,'9105-22A','IBM Power S1022 server (2U, 2-socket, 20-core Power10)',1,41200000,41200000);
INSERT INTO "order_lines" VALUES(5,2,2,'EN1A','PCIe3 32 Gb 2-port Fibre Channel adapter',2,1450000,2900000);
INSERT INTO "order_lines" VALUES(6,3,1,'3555-L3A','IBM TS4300 tape library base module',1,9800000,9800000);
INSERT INTO "order_lines" VALUES(7,4,1,'4662-12G','IBM FlashSystem 5200 2U12 expansion enclosure',1,6400000,6400000);
INSERT INTO "order_lines" VALUES(8,5,1,'EN1A','PCIe3 32 Gb 2-port Fibre Channel adapter',2,1450000,2900000);
INSERT INTO "order_lines" VALUES(9,5,2,'SVC-INST','Installation and configuration service',1,2100000,2100000);
INSERT INTO "order_lines" VALUES(10,6,1,'9105-41B','IBM Power S1014 server (4U, 1-socket, 8-core Power10)',1,18800000,18800000);
INSERT INTO "order_lines" VALUES(11,7,1,'4662-6H2','IBM FlashSystem 5200 NVMe control enclosure',1,36500000,36500000);
INSERT INTO "order_lines" VALUES(12,8,1,'5765-CD3','IBM AIX 7.3 Standard Edition, per core',20,145000,2900000);
INSERT INTO "order_lines" VALUES(13,9,1,'9105-41B','IBM Power S1014 server (4U, 1-socket, 8-core Power10)',1,1490000,1490000);
INSERT INTO "order_lines" VALUES(14,9,2,'SVC-INST','Installation and configuration service',1,350000,350000);
INSERT INTO "order_lines" VALUES(15,10,1,'5725-W98','IBM Storage Protect, per front-end TB',10,115000,1150000);
INSERT INTO "order_lines" VALUES(16,11,1,'EN1A','PCIe3 32 Gb 2-port Fibre Channel adapter',2,145000,290000);
INSERT INTO "order_lines" VALUES(17,12,1,'EM6Y','64 GB DDR4 DDIMM memory for IBM Power S1014',2,125000,250000);
INSERT INTO "order_lines" VALUES(18,13,1,'3555-L3A','IBM TS4300 tape library base module',1,980000,980000);
CREATE TABLE orders (
	id INTEGER NOT NULL, 
	number VARCHAR(32) NOT NULL, 
	company_id INTEGER NOT NULL, 
	po_number VARCHAR(64), 
	site_id INTEGER, 
	status VARCHAR(20) NOT NULL, 
	ordered_at DATETIME NOT NULL, 
	expected_delivery DATE, 
	delivered_at DATETIME, 
	currency VARCHAR(3) NOT NULL, 
	total_minor BIGINT NOT NULL, 
	CONSTRAINT pk_orders PRIMARY KEY (id), 
	CONSTRAINT uq_orders_number UNIQUE (number), 
	CONSTRAINT fk_orders_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE, 
	CONSTRAINT fk_orders_site_id_sites FOREIGN KEY(site_id) REFERENCES sites (id) ON DELETE SET NULL
);
INSERT INTO "orders" VALUES(1,'4711',1,'NV-PO-889',1,'shipped','2026-03-06 09:14:00.000000','2026-03-21',NULL,'SEK',10000000);
INSERT INTO "orders" VALUES(2,'4712',1,'NV-PO-902',2,'in_production','2026-03-13 13:14:00.000000','2026-04-03',NULL,'SEK',44100000);
INSERT INTO "orders" VALUES(3,'4708',1,'NV-PO-877',1,'confirmed','2026-02-26 11:14:00.000000','2026-04-07',NULL,'SEK',9800000);
INSERT INTO "orders" VALUES(4,'4702',1,'NV-PO-861',2,'delivered','2026-02-11 10:14:00.000000','2026-02-20','2026-02-20 11:00:00.000000','SEK',6400000);
INSERT INTO "orders" VALUES(5,'4690',1,'NV-PO-850',1,'delivered','2026-01-15 08:14:00.000000','2026-01-22','2026-01-22 12:00:00.000000','SEK',5000000);
INSERT INTO "orders" VALUES(6,'4681',1,'NV-PO-840',1,'cancelled','2025-12-13 14:14:00.000000',NULL,NULL,'SEK',18800000);
INSERT INTO "orders" VALUES(7,'4655',1,'NV-PO-812',2,'delivered','2025-11-08 09:14:00.000000','2025-11-16','2025-11-16 10:00:00.000000','SEK',36500000);
INSERT INTO "orders" VALUES(8,'4630',1,'NV-PO-790',1,'delivered','2025-09-29 10:14:00.000000','2025-10-02','2025-10-02 13:00:00.000000','SEK',2900000);
INSERT INTO "orders" VALUES(9,'5801',2,'CON-4500123',3,'delivered','2026-02-16 08:14:00.000000','2026-02-24','2026-02-24 10:00:00.000000','EUR',1840000);
INSERT INTO "orders" VALUES(10,'5790',2,'CON-4500098',3,'delivered','2025-12-28 09:14:00.000000','2026-01-01','2026-01-01 12:00:00.000000','EUR',1150000);
INSERT INTO "orders" VALUES(11,'5795',2,'CON-4500107',3,'delivered','2026-01-27 11:14:00.000000','2026-02-01','2026-02-01 10:00:00.000000','EUR',290000);
INSERT INTO "orders" VALUES(12,'5805',2,'CON-4500131',3,'shipped','2026-03-10 10:14:00.000000','2026-03-20',NULL,'EUR',250000);
INSERT INTO "orders" VALUES(13,'5810',2,'CON-4500140',3,'confirmed','2026-03-15 13:14:00.000000','2026-04-08',NULL,'EUR',980000);
CREATE TABLE payments (
	id INTEGER NOT NULL, 
	reference VARCHAR(64) NOT NULL, 
	company_id INTEGER NOT NULL, 
	invoice_id INTEGER, 
	paid_on DATE NOT NULL, 
	amount_minor BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	CONSTRAINT pk_payments PRIMARY KEY (id), 
	CONSTRAINT uq_payments_reference UNIQUE (reference), 
	CONSTRAINT fk_payments_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE, 
	CONSTRAINT fk_payments_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE SET NULL
);
INSERT INTO "payments" VALUES(1,'PAY-2011',1,1,'2025-10-29',3625000,'SEK');
INSERT INTO "payments" VALUES(2,'PAY-2018',1,2,'2025-12-13',45625000,'SEK');
INSERT INTO "payments" VALUES(3,'PAY-2032',1,3,'2026-02-16',5750000,'SEK');
INSERT INTO "payments" VALUES(4,'PAY-2030',1,4,'2026-03-08',8000000,'SEK');
INSERT INTO "payments" VALUES(5,'PAY-3041',2,6,'2026-01-27',1368500,'EUR');
INSERT INTO "payments" VALUES(6,'PAY-3046',2,7,'2026-02-26',345100,'EUR');
CREATE TABLE rate_counts (
	"key" VARCHAR(255) NOT NULL, 
	slot BIGINT NOT NULL, 
	worker VARCHAR(32) NOT NULL, 
	count INTEGER NOT NULL, 
	expires BIGINT NOT NULL, 
	PRIMARY KEY ("key", slot, worker)
);
CREATE TABLE request_documents (
	id INTEGER NOT NULL, 
	request_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	content_type VARCHAR(100) NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	data BLOB NOT NULL, 
	uploaded_by VARCHAR(200) NOT NULL, 
	at DATETIME NOT NULL, 
	CONSTRAINT pk_request_documents PRIMARY KEY (id), 
	CONSTRAINT fk_request_documents_request_id_requests FOREIGN KEY(request_id) REFERENCES requests (id) ON DELETE CASCADE
);
CREATE TABLE request_events (
	id INTEGER NOT NULL, 
	request_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	author VARCHAR(200) NOT NULL, 
	text TEXT NOT NULL, 
	CONSTRAINT pk_request_events PRIMARY KEY (id), 
	CONSTRAINT fk_request_events_request_id_requests FOREIGN KEY(request_id) REFERENCES requests (id) ON DELETE CASCADE
);
INSERT INTO "request_events" VALUES(1,1,'2026-03-12 10:00:00.000000','created','Anna Berg','We are consolidating storage in Kista. Please plan the move of the FlashSystem 5200, serial 78XYZ34.');
INSERT INTO "request_events" VALUES(2,1,'2026-03-13 09:30:00.000000','status','Sara Lindqvist','In progress: our logistics team is planning the move.');
INSERT INTO "request_events" VALUES(3,2,'2026-03-17 08:30:00.000000','created','Erik Lund','The server for Göteborg is needed for a project start. Is an earlier delivery possible?');
INSERT INTO "request_events" VALUES(4,3,'2026-03-09 11:00:00.000000','created','Max Müller','The installation service on INV-3050 was quoted at a lower price. Please check.');
INSERT INTO "request_events" VALUES(5,3,'2026-03-10 14:00:00.000000','answer','Sara Lindqvist','The quote covered 4 hours; the installation took 7. The invoice is correct.');
CREATE TABLE requests (
	id INTEGER NOT NULL, 
	number VARCHAR(32) NOT NULL, 
	company_id INTEGER NOT NULL, 
	requester_id VARCHAR(254), 
	requester_name VARCHAR(200) NOT NULL, 
	category VARCHAR(40) NOT NULL, 
	subject VARCHAR(300) NOT NULL, 
	description TEXT NOT NULL, 
	priority VARCHAR(20) NOT NULL, 
	status VARCHAR(30) NOT NULL, 
	related VARCHAR(64), 
	created_at DATETIME NOT NULL, 
	due_at DATETIME, 
	CONSTRAINT pk_requests PRIMARY KEY (id), 
	CONSTRAINT uq_requests_number UNIQUE (number), 
	CONSTRAINT fk_requests_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE, 
	CONSTRAINT fk_requests_requester_id_users FOREIGN KEY(requester_id) REFERENCES users (user_id) ON DELETE SET NULL
);
INSERT INTO "requests" VALUES(1,'RQ-2026-000001',1,'anna.berg@nordisk.example','Anna Berg','inventory','Move IBM FlashSystem 5200 (78XYZ34) from Göteborg to Kista','We are consolidating storage in Kista. Please plan the move of the FlashSystem 5200, serial 78XYZ34.','normal','in_progress','78XYZ34','2026-03-12 10:00:00.000000','2026-03-13 10:00:00.000000');
INSERT INTO "requests" VALUES(2,'RQ-2026-000002',1,'erik.lund@nordisk.example','Erik Lund','order','Can order 4712 be delivered earlier?','The server for Göteborg is needed for a project start. Is an earlier delivery possible?','high','open','4712','2026-03-17 08:30:00.000000','2026-03-18 08:30:00.000000');
INSERT INTO "requests" VALUES(3,'RQ-2026-000003',2,'max.muller@contoso.example','Max Müller','invoice','Question about invoice INV-3050','The installation service on INV-3050 was quoted at a lower price. Please check.','normal','answered','INV-3050','2026-03-09 11:00:00.000000','2026-03-10 11:00:00.000000');
CREATE TABLE shipments (
	id INTEGER NOT NULL, 
	order_id INTEGER NOT NULL, 
	carrier VARCHAR(20) NOT NULL, 
	tracking_number VARCHAR(64) NOT NULL, 
	shipped_at DATETIME, 
	expected_at DATE, 
	delivered_at DATETIME, 
	CONSTRAINT pk_shipments PRIMARY KEY (id), 
	CONSTRAINT fk_shipments_order_id_orders FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE
);
INSERT INTO "shipments" VALUES(1,1,'postnord','00370712345678901234','2026-03-16 14:00:00.000000','2026-03-21',NULL);
INSERT INTO "shipments" VALUES(2,4,'dbschenker','SEGOT7712093','2026-02-18 16:00:00.000000','2026-02-20','2026-02-20 11:00:00.000000');
INSERT INTO "shipments" VALUES(3,5,'ups','1Z4E5V796841823317','2026-01-20 15:00:00.000000','2026-01-22','2026-01-22 12:00:00.000000');
INSERT INTO "shipments" VALUES(4,7,'fedex','794657311208','2025-11-14 17:00:00.000000','2025-11-16','2025-11-16 10:00:00.000000');
INSERT INTO "shipments" VALUES(5,8,'postnord','00370712345678900987','2025-10-01 09:00:00.000000','2025-10-02','2025-10-02 13:00:00.000000');
INSERT INTO "shipments" VALUES(6,9,'dhl','JD014600006281230704','2026-02-21 15:00:00.000000','2026-02-24','2026-02-24 10:00:00.000000');
INSERT INTO "shipments" VALUES(7,10,'ups','1Z999AA10123456784','2025-12-30 10:00:00.000000','2026-01-01','2026-01-01 12:00:00.000000');
INSERT INTO "shipments" VALUES(8,11,'fedex','794612345678','2026-01-30 16:00:00.000000','2026-02-01','2026-02-01 10:00:00.000000');
INSERT INTO "shipments" VALUES(9,12,'dbschenker','DEMUC4417720','2026-03-17 15:00:00.000000','2026-03-20',NULL);
CREATE TABLE sign_ins (
	id VARCHAR(64) NOT NULL, 
	user_id VARCHAR(255) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	idle_seconds INTEGER NOT NULL, 
	expires_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE TABLE sites (
	id INTEGER NOT NULL, 
	company_id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	city VARCHAR(100) NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	CONSTRAINT pk_sites PRIMARY KEY (id), 
	CONSTRAINT uq_sites_company_id_name UNIQUE (company_id, name), 
	CONSTRAINT fk_sites_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE
);
INSERT INTO "sites" VALUES(1,1,'Kista','Stockholm','SE');
INSERT INTO "sites" VALUES(2,1,'Göteborg','Göteborg','SE');
INSERT INTO "sites" VALUES(3,2,'München','München','DE');
CREATE TABLE turns (
	id INTEGER NOT NULL, 
	conversation_key VARCHAR(255) NOT NULL, 
	seq INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	text TEXT NOT NULL, 
	payload JSON, 
	delivery_id VARCHAR(255), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_turns_conversation_seq UNIQUE (conversation_key, seq), 
	CONSTRAINT uq_turns_delivery UNIQUE (conversation_key, delivery_id)
);
INSERT INTO "turns" VALUES(1,'web:upgrade-test',1,'2026-12-03 07:42:44.042477','user','where is order 4711','null','d1');
INSERT INTO "turns" VALUES(2,'web:upgrade-test',2,'2026-12-03 07:42:44.042477','bot','Order 4711 has shipped with PostNord and is expected on 21 March 2026.','{"text": "Order 4711 has shipped with PostNord and is expected on 21 March 2026.", "cards": [{"title": "Order 4711", "subtitle": "Shipped", "fields": [{"label": "PO number", "value": "NV-PO-889"}, {"label": "Ordered", "value": "6 March 2026"}, {"label": "Expected delivery", "value": "21 March 2026"}, {"label": "Total excl. VAT", "value": "SEK\u00a0100,000.00"}, {"label": "Site", "value": "Kista"}, {"label": "Carrier", "value": "PostNord"}, {"label": "Tracking number", "value": "00370712345678901234"}], "buttons": [], "url": "https://tracking.postnord.com/se/?id=00370712345678901234", "url_label": "Track the shipment"}], "table": {"columns": ["#", "Product", "Qty", "Total excl. VAT"], "rows": [["1", "64 GB DDR4 DDIMM memory for IBM Power S1022 (EM6Y)", "4", "SEK\u00a050,000.00"], ["2", "IBM FlashSystem 5200 4.8 TB NVMe FlashCore Module (AHS4)", "2", "SEK\u00a040,000.00"], ["3", "Installation and configuration service (SVC-INST)", "1", "SEK\u00a010,000.00"]]}, "buttons": [], "attachments": [], "form": null, "language": "en", "intent": "order.status"}',NULL);
CREATE TABLE users (
	user_id VARCHAR(254) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	phone VARCHAR(40), 
	company_id INTEGER, 
	role VARCHAR(20) NOT NULL, 
	password_hash VARCHAR(200), 
	active BOOLEAN NOT NULL, 
	email_confirmed_at DATETIME, 
	registered_at DATETIME, 
	CONSTRAINT pk_users PRIMARY KEY (user_id), 
	CONSTRAINT fk_users_company_id_companies FOREIGN KEY(company_id) REFERENCES companies (id) ON DELETE CASCADE
);
INSERT INTO "users" VALUES('anna.berg@nordisk.example','Anna Berg','+46 8 555 012 34',1,'company_admin','scrypt$16384$8$1$IpgHpd8pFJqOshqErDjyhw==$oqGA3QVQ5F0+Js1mo+x7Y/+Sdf5u0C4b10za6yBLsRo=',1,NULL,NULL);
INSERT INTO "users" VALUES('erik.lund@nordisk.example','Erik Lund','+46 31 555 067 89',1,'user','scrypt$16384$8$1$WTdAJFpiuEKyq2iEv65PKw==$N9v+pyygIBak09U1hAf9/GXQi7MlrFczF3epm+Fmf2Q=',1,NULL,NULL);
INSERT INTO "users" VALUES('max.muller@contoso.example','Max Müller','+49 89 5550 1234',2,'user','scrypt$16384$8$1$ffhAkQ+s4WJ7nJXoX4PPbA==$D9rK2bGRo+VsAgztCy18PU5YUABTMzIJ4tpO/JCw+so=',1,NULL,NULL);
INSERT INTO "users" VALUES('sara@support.example','Sara Lindqvist','+46 8 555 000 00',NULL,'agent','scrypt$16384$8$1$06I0hP0qLRAcPrXqskC2eA==$xMQgKuaN6/9K68MLNc8Dld4yxz2Q5vpj2aqyB5hsBt8=',1,NULL,NULL);
CREATE INDEX ix_users_company_id ON users (company_id);
CREATE INDEX ix_contracts_company_id_ends_on ON contracts (company_id, ends_on);
CREATE INDEX ix_orders_company_id_po_number_ordered_at ON orders (company_id, po_number, ordered_at);
CREATE INDEX ix_orders_company_id_status_ordered_at ON orders (company_id, status, ordered_at);
CREATE INDEX ix_orders_company_id_site_id_ordered_at ON orders (company_id, site_id, ordered_at);
CREATE INDEX ix_orders_company_id_ordered_at_id ON orders (company_id, ordered_at, id);
CREATE INDEX ix_inventory_items_site_id ON inventory_items (site_id);
CREATE INDEX ix_requests_status_due_at_id ON requests (status, due_at, id);
CREATE INDEX ix_requests_company_id_requester_id_created_at ON requests (company_id, requester_id, created_at);
CREATE INDEX ix_requests_company_id_created_at_id ON requests (company_id, created_at, id);
CREATE INDEX ix_access_requests_company_id_status_created_at ON access_requests (company_id, status, created_at);
CREATE INDEX ix_access_requests_requester_id_status ON access_requests (requester_id, status);
CREATE INDEX ix_identity_links_user_id ON identity_links (user_id);
CREATE INDEX ix_order_events_order_id_at ON order_events (order_id, at);
CREATE INDEX ix_shipments_order_id ON shipments (order_id);
CREATE INDEX ix_shipments_tracking_number ON shipments (tracking_number);
CREATE INDEX ix_invoices_company_id_issued_on_id ON invoices (company_id, issued_on, id);
CREATE INDEX ix_invoices_company_id_order_id ON invoices (company_id, order_id);
CREATE INDEX ix_invoices_company_id_status_due_on ON invoices (company_id, status, due_on);
CREATE INDEX ix_request_events_request_id_at ON request_events (request_id, at);
CREATE INDEX ix_request_documents_request_id_at ON request_documents (request_id, at);
CREATE INDEX ix_invoice_events_invoice_id_at ON invoice_events (invoice_id, at);
CREATE INDEX ix_credit_notes_company_id_issued_on ON credit_notes (company_id, issued_on);
CREATE INDEX ix_credit_notes_company_id_invoice_id ON credit_notes (company_id, invoice_id);
CREATE INDEX ix_payments_company_id_invoice_id ON payments (company_id, invoice_id);
CREATE INDEX ix_payments_company_id_paid_on ON payments (company_id, paid_on);
CREATE INDEX ix_conversations_user_id ON conversations (user_id);
CREATE INDEX ix_files_expires_at ON files (expires_at);
CREATE INDEX ix_handoffs_status ON handoffs (status);
CREATE INDEX ix_handoffs_conversation_key ON handoffs (conversation_key);
CREATE INDEX ix_agent_presence_seen_at ON agent_presence (seen_at);
CREATE INDEX ix_handoff_threads_place_thread ON handoff_threads (place, thread);
CREATE INDEX ix_sign_ins_user_id ON sign_ins (user_id);
CREATE INDEX ix_sign_ins_expires_at ON sign_ins (expires_at);
CREATE INDEX ix_rate_counts_expires ON rate_counts (expires);
CREATE INDEX ix_mail_outbox_due ON mail_outbox (status, next_attempt_at);
COMMIT;
