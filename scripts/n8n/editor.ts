/**
 * npm run test:editor: the package in n8n's web editor, in a real browser (Debian's Chromium
 * through puppeteer-core), on both n8n lines (the CLIs test:n8n installs: 1.123.81 on Node 20,
 * 2.40.7 on Node 24). Usage: test:editor [-- --line 1|2]
 *
 * It does what a user does, through the screen only: finds the nodes in the nodes panel, opens
 * every resource and operation, creates each credential through its form (a bad one, then the
 * good one, reading the test button's message), sets up the Cybersource Trigger with both of
 * its credentials picked in the UI and activates it against the local sandbox, and runs a
 * payment from the editor. It asserts what the screen shows, keeps a screenshot of each step in
 * a temporary folder and prints where it is. The sandbox, oidc-provider and n8n listen on
 * 127.0.0.1 only; the browser opens n8n's pages and nothing else.
 */
import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser, ElementHandle } from 'puppeteer-core';

import { startCybersourceSandbox, type Sandbox } from '../../test/servers/cybersource/server';
import type { OidcServerHandle } from '../../test/servers/oidc';
import { startStandardOidcServer } from '../../test/servers/oidc/standard-clients';
import { DOCUMENTATION } from '../../packages/n8n-nodes-cybersource/nodes/Cybersource/authentication';
import { cybersourceCredentialData } from '../lib/localServers';
import { Editor, ensureChromium, launchBrowser } from './browser';
import { CheckRun, out, runScript } from './checks';
import { CLI_LINES, freePort, installCli, N8nInstance, packPackage, type CliLine } from './cli';
import { OWNER, RestSession } from './rest';
import { PUBLIC_BASE } from './trigger';

const checks = new CheckRun(true);
const { check } = checks;

interface Servers {
	sandbox: Sandbox;
	oidc: OidcServerHandle;
	clients: Awaited<ReturnType<typeof startStandardOidcServer>>['clients'];
}

const CUSTOM_API_CALL = 'Custom API Call';
const duplicates = (list: string[]) => list.filter((entry, index) => list.indexOf(entry) !== index);

/** A new workflow's nodes panel, searched for "Cybersource"; the names it lists then. */
async function searchPanel(editor: Editor): Promise<string[]> {
	await editor.goto('/workflow/new');
	await editor.page.waitForSelector('[data-test-id=canvas-plus-button]', { visible: true });
	await editor.page.click('[data-test-id=canvas-plus-button]');
	await editor.page.waitForSelector('[data-test-id=node-creator-search-bar]', { visible: true });
	await editor.page.type('[data-test-id=node-creator-search-bar] input, input[data-test-id=node-creator-search-bar]', 'Cybersource');
	// The panel first lists the trigger kinds; the results replace them as the search applies.
	return await editor.until('the search results', async () => {
		const names = (await editor.visible('[data-test-id=node-creator-item-name]')).map((entry) => entry.text);
		return names.includes('Cybersource') ? names : undefined;
	});
}

/** Opens the app entry; its categories (Triggers, Actions). */
async function openApp(editor: Editor): Promise<string[]> {
	await editor.clickText('[data-test-id=node-creator-item-name]', 'Cybersource');
	return await editor.until('Triggers and Actions', async () => {
		const texts = (await editor.visible('[data-test-id=node-creator-category-item]')).map((entry) => entry.text);
		return texts.length >= 2 ? texts : undefined;
	});
}

/** Unfolds the Actions category unless `entry` is listed already. */
async function showEntry(editor: Editor, entry: string): Promise<void> {
	if ((await editor.visible('[data-test-id=node-creator-item-name]')).some((item) => item.text === entry)) return;
	const actions = (await editor.visible('[data-test-id=node-creator-category-item]')).find((item) => item.text.startsWith('Actions'));
	await actions?.handle.click();
}

/** The open panel's Docs links that have an address (the closing nodes panel may still show its own, without one yet). */
async function docsLinks(editor: Editor): Promise<string[]> {
	return await editor.page.$$eval('a', (links) =>
		links.filter((link) => link.innerText.trim() === 'Docs' && link.offsetParent !== null && link.getAttribute('href')).map((link) => link.href),
	);
}

/** The nodes panel: one app entry, its trigger and actions, and no duplicate action in a group. */
async function nodesPanel(editor: Editor): Promise<string> {
	const found = await searchPanel(editor);
	await editor.shot('nodes-panel-search');
	assert.deepEqual(found, ['Cybersource'], `searching "Cybersource" shows ${JSON.stringify(found)}`);
	const categories = await openApp(editor);
	assert.match(categories[0], /^Triggers \(1\)/);
	assert.match(categories[1], /^Actions \(\d+\)/);
	const panel = await editor.page.$eval('[data-test-id=node-creator]', (element) => (element as HTMLElement).innerText);
	assert.match(panel, /Payments, transactions and webhooks with Cybersource/, `the app entry describes the app, not only the trigger:\n${panel.slice(0, 400)}`);
	await showEntry(editor, 'Authorize a card payment');
	const actions = await editor.until('the actions', async () => {
		const names = (await editor.visible('[data-test-id=node-creator-item-name]')).map((entry) => entry.text);
		return names.includes('Authorize a card payment') ? names : undefined;
	});
	await editor.shot('nodes-panel-actions');
	assert.ok(actions.includes('On new Cybersource event'), 'the trigger is listed');
	// Each resource's actions, as the panel groups them: no entry twice within a group.
	const groups = await editor.page.$$eval('[data-test-id=node-creator] [data-test-id=node-creator-item-name], [data-test-id=node-creator] .n8n-node-creator-category-title, [data-test-id=node-creator] [class*=subcategory], [data-test-id=node-creator] [class*=sectionTitle], [data-test-id=node-creator] [class*=label]', (elements) =>
		elements.map((element) => ({ name: element.getAttribute('data-test-id') === 'node-creator-item-name', text: (element as HTMLElement).innerText.trim() })),
	);
	const byGroup: string[][] = [[]];
	for (const entry of groups) {
		if (!entry.name && /ACTIONS$/i.test(entry.text)) byGroup.push([]);
		else if (entry.name) byGroup[byGroup.length - 1].push(entry.text);
	}
	for (const group of byGroup) assert.deepEqual(duplicates(group), [], `an action listed twice in one group: ${group.join(', ')}`);
	return `one app entry "Cybersource": ${categories.join(', ')}; ${actions.length - 1} action entries`;
}

interface Surface {
	resources: string[];
	operations: Record<string, string[]>;
	screens: number;
}

/** Adds the Cybersource node from the panel, then opens every resource and every operation. */
async function everyOperation(editor: Editor): Promise<Surface> {
	await editor.clickText('[data-test-id=node-creator-item-name]', 'Authorize a card payment');
	await editor.page.waitForSelector('[data-test-id=parameter-input-resource]', { visible: true });
	await editor.shot('node-authorize');
	// n8n uses a node's documentationUrl unchanged (it appends tracking to a codex link, after the #).
	const docs = await docsLinks(editor);
	assert.deepEqual(docs, [`${DOCUMENTATION}#the-cybersource-node`], `the panel's Docs link: ${docs.join(', ')}`);
	const resources = await editor.optionsOf('resource');
	const surface: Surface = { resources, operations: {}, screens: 0 };
	assert.deepEqual(duplicates(resources), [], `duplicate resources: ${resources.join(', ')}`);
	assert.equal(resources.filter((name) => name === CUSTOM_API_CALL).length, 1, `Resource list: ${resources.join(', ')}`);
	assert.equal(resources.at(-1), CUSTOM_API_CALL, 'Custom API Call is the last resource');
	const own = resources.slice(0, -1);
	assert.deepEqual(own, [...own].sort((a, b) => a.localeCompare(b)), `resources in alphabetical order: ${resources.join(', ')}`);
	for (const resource of resources) {
		await editor.pick('resource', resource);
		const operations = await editor.optionsOf('operation');
		surface.operations[resource] = operations;
		assert.deepEqual(duplicates(operations), [], `${resource}: duplicate operations ${operations.join(', ')}`);
		assert.equal(operations.filter((name) => name === CUSTOM_API_CALL).length, 1, `${resource}: ${operations.join(', ')}`);
		assert.equal(operations.at(-1), CUSTOM_API_CALL, `${resource}: Custom API Call is last`);
		for (const operation of operations) {
			await editor.pick('operation', operation);
			const labels = await editor.parameterLabels('[data-test-id=node-parameters]');
			assert.ok(!labels.includes('Timeout (Seconds)'), `${resource} > ${operation}: the timeout sits under Request Options in version 2`);
			if (resource !== 'OAuth') assert.ok(labels.includes('Request Options'), `${resource} > ${operation}: no Request Options (${labels.join(', ')})`);
			await editor.shot(`${resource}-${operation}`);
			surface.screens++;
		}
	}
	return surface;
}

/** One credential as a user fills its form: the type as the picker names it, a bad and a good filling. */
interface CredentialForm {
	type: string;
	/** Choices first (they show or hide fields), then the text fields, in form order. */
	choices?: Record<string, string>;
	fields: Record<string, string>;
	/** Fields that make it bad, and what the message must say then. */
	bad: { fields: Record<string, string>; expect: RegExp };
	/** What a good one shows: n8n's success banner, or (n8n 1.x, mutual TLS) the refusal. */
	good: { success: true } | { success: false; expect: RegExp };
}

const WRONG_SECRET = Buffer.alloc(32, 7).toString('base64');

function credentialForms(line: CliLine, servers: Servers): CredentialForm[] {
	const { sandbox, oidc, clients } = servers;
	const partner = cybersourceCredentialData(sandbox);
	const signatureKey = sandbox.createSignatureKey();
	const onTwo = line.version.startsWith('2.');
	const needsTwo = /needs n8n 2\.0 or later/;
	return [
		{
			type: 'Cybersource API',
			// A new merchant key has no scheme until one is chosen; the recommended one, as a user would.
			choices: { environment: 'Custom', authenticationType: 'JWT With the Shared Secret (HS256, Recommended)' },
			fields: { baseUrl: sandbox.restUrl, merchantId: sandbox.merchantKey.merchantId, keyId: sandbox.merchantKey.keyId, sharedSecretKey: sandbox.merchantKey.secret },
			// n8n 1.x answers a credential test refused with 401 in its own words.
			bad: {
				fields: { sharedSecretKey: WRONG_SECRET },
				expect: onTwo ? /^Cybersource refused the signature: check the Merchant ID, the Key ID and Shared Secret Key/ : /^Authorization failed - please check your credentials$/,
			},
			good: { success: true },
		},
		{
			type: 'Cybersource OAuth2 API',
			choices: { environment: 'Custom' },
			fields: {
				apiBaseUrl: partner.apiBaseUrl as string,
				clientId: partner.clientId as string,
				clientSecret: partner.clientSecret as string,
				refreshToken: partner.refreshToken as string,
				clientCertificate: partner.clientCertificate as string,
				clientPrivateKey: partner.clientPrivateKey as string,
				caCertificate: partner.caCertificate as string,
			},
			bad: { fields: { clientCertificate: 'not a certificate' }, expect: onTwo ? /^Client Certificate: / : needsTwo },
			good: onTwo ? { success: true } : { success: false, expect: needsTwo },
		},
		{
			type: 'Cybersource Webhook Keys API',
			fields: { signatureKeyId: signatureKey.keyId, signatureSecret: signatureKey.key },
			bad: { fields: { signatureKeyId: 'not-a-uuid' }, expect: /^Digital Signature Key ID: is not a key ID/ },
			good: { success: true },
		},
		{
			type: 'OAuth2 Client Credentials (Cybersource Package) API',
			fields: { tokenUrl: oidc.tokenUrl, clientId: clients.post.clientId, clientSecret: clients.post.clientSecret },
			bad: { fields: { clientSecret: 'not-the-client-secret' }, expect: /refused the token request \(HTTP 401, invalid_client/ },
			good: { success: true },
		},
		{
			type: 'OAuth2 JWT Client Assertion (Cybersource Package) API',
			fields: { tokenUrl: oidc.tokenUrl, clientId: clients.jwtRs256.clientId, privateKey: clients.jwtRs256.privateKeyPem, keyId: clients.jwtRs256.kid },
			bad: { fields: { privateKey: clients.jwtRs256.privateKeyPem.replace(/[A-Za-z]{8}/, 'AAAAAAAA') }, expect: /^Private Key: could not be read: its text between the BEGIN and END lines is damaged/ },
			good: { success: true },
		},
	];
}

/** Opens "Create credential" on the credentials page and picks the type, as a user searches it. */
async function newCredential(editor: Editor, type: string): Promise<void> {
	await editor.goto('/home/credentials');
	await editor.page.waitForSelector('[data-test-id=add-resource-credential], [data-test-id=resources-list-add]', { visible: true });
	await editor.page.click('[data-test-id=add-resource-credential], [data-test-id=resources-list-add]');
	await editor.page.waitForSelector('[data-test-id=new-credential-type-select] input', { visible: true });
	await editor.page.type('[data-test-id=new-credential-type-select] input', type);
	await editor.chooseOpenOption(type, 'the credential types');
	await editor.page.click('[data-test-id=new-credential-type-button]');
	await editor.page.waitForSelector('[data-test-id=credential-edit-dialog]', { visible: true });
	await Editor.sleep(800); // n8n 1.x animates the dialog open
}

/** Saves the open credential (n8n tests it on save) and reads what the test said. */
async function saveAndRead(editor: Editor): Promise<{ success: boolean; message: string }> {
	// n8n saves, then runs the test (POST /rest/credentials/test); the banner follows its answer.
	const tested = editor.page.waitForResponse((response) => response.url().includes('/rest/credentials/test'), { timeout: 60_000 });
	await editor.page.click('[data-test-id=credential-save-button]');
	await tested;
	await Editor.sleep(500);
	return await editor.until('the credential test result', async () => {
		const dialog = await editor.page.$eval('[data-test-id=credential-edit-dialog]', (element) => (element as HTMLElement).innerText);
		// (the Cybersource OAuth2 credential's notice quotes the success banner's words)
		const banner = await editor.textOf('[data-test-id=credentials-config-container-test-success]');
		if (/Connection tested successfully/.test(banner)) return { success: true, message: banner.split('\n')[0].trim() };
		if (/Couldn.t connect with these settings/.test(dialog)) {
			const details = (await editor.visible('[data-test-id=credential-edit-dialog] a, [data-test-id=credential-edit-dialog] span')).find((entry) => entry.text === 'More details');
			if (details) await details.handle.click();
			await Editor.sleep(300);
			const after = await editor.page.$eval('[data-test-id=credential-edit-dialog]', (element) => (element as HTMLElement).innerText);
			// The banner reads "Couldn't connect with these settings", (More details,) Retry, then the message.
			const lines = after.split('\n').map((text) => text.trim());
			const retry = lines.indexOf('Retry');
			const message = retry >= 0 ? lines.slice(retry + 1).find((text) => text !== '') : undefined;
			return { success: false, message: message ?? after.slice(0, 600) };
		}
		return undefined;
	}, 45_000);
}

async function closeDialog(editor: Editor): Promise<void> {
	await editor.page.keyboard.press('Escape');
	await Editor.sleep(400);
}

/** Each credential through its form: the bad filling's message, then the good one's result. */
async function credentialsThroughForms(editor: Editor, line: CliLine, servers: Servers): Promise<string> {
	const lines: string[] = [];
	for (const form of credentialForms(line, servers)) {
		await newCredential(editor, form.type);
		await editor.shot(`credential-${form.type}-empty`);
		for (const [parameter, choice] of Object.entries(form.choices ?? {})) await editor.pick(parameter, choice);
		for (const [parameter, value] of Object.entries({ ...form.fields, ...form.bad.fields })) await editor.fill(parameter, value);
		const bad = await saveAndRead(editor);
		await editor.shot(`credential-${form.type}-bad`);
		assert.equal(bad.success, false, `${form.type}: a bad one tested successfully`);
		assert.match(bad.message, form.bad.expect, `${form.type}: ${bad.message}`);
		for (const [parameter] of Object.entries(form.bad.fields)) await editor.fill(parameter, form.fields[parameter]);
		const good = await saveAndRead(editor);
		await editor.shot(`credential-${form.type}-good`);
		if (form.good.success) assert.equal(good.success, true, `${form.type}: ${good.message}`);
		else assert.match(good.message, form.good.expect, `${form.type}: ${good.message}`);
		for (const secret of Object.values(form.fields)) {
			if (secret.length > 12) assert.ok(!bad.message.includes(secret) && !good.message.includes(secret), `${form.type}: a message shows a field's value`);
		}
		lines.push(`${form.type}: bad "${bad.message.slice(0, 100)}"; good "${good.message.slice(0, 80)}"`);
		await closeDialog(editor);
	}
	return lines.join('\n');
}

/** Adds a node from the nodes panel: the app "Cybersource", then one of its actions or its trigger. */
async function addFromPanel(editor: Editor, entry: string): Promise<void> {
	await searchPanel(editor);
	await openApp(editor);
	await showEntry(editor, entry);
	await editor.clickText('[data-test-id=node-creator-item-name]', entry);
	await editor.page.waitForSelector('[data-test-id=node-parameters]', { visible: true });
	await Editor.sleep(800); // n8n 1.x animates the panel open
}

/** The credential selectors of the open node (n8n 2.x: slots holding a label and a select; 1.x: labels wrapping them). */
async function slotElements(editor: Editor): Promise<ElementHandle[]> {
	const slots = await editor.page.$$('[data-test-id=node-parameters] [data-test-id=node-credentials-slot]');
	return slots.length > 0 ? slots : await editor.page.$$('[data-test-id=node-parameters] [data-test-id=credentials-label]');
}

async function credentialLabels(editor: Editor): Promise<string[]> {
	const labels: string[] = [];
	for (const slot of await slotElements(editor)) {
		labels.push(await slot.$eval('label', (element) => (element as HTMLElement).innerText.split('\n')[0].replace(/\*$/, '').trim()));
	}
	return labels;
}

/** The select of the index-th credential selector, found afresh (the panel re-renders as it changes). */
async function slotSelect(editor: Editor, index: number): Promise<ElementHandle> {
	return await editor.until(`credential selector ${index + 1}`, async () => {
		const slot = (await slotElements(editor))[index];
		return (await slot?.$('[data-test-id=node-credentials-select] input')) ?? (await slot?.$('[data-test-id=node-credentials-select]')) ?? undefined;
	});
}

/** Opens a credential selector; its options as name and type. */
async function credentialChoices(editor: Editor, index: number): Promise<Array<{ name: string; type: string }>> {
	const read = async () =>
		await editor.page.$$eval('[data-test-id^=node-credentials-select-item-]', (items) =>
			items
				.filter((item) => (item as HTMLElement).offsetParent !== null && item.getAttribute('data-test-id') !== 'node-credentials-select-item-new')
				.map((item) => {
					const texts = [...item.querySelectorAll('.n8n-text, span')].map((element) => (element as HTMLElement).innerText.trim()).filter((text) => text !== '');
					return { name: texts[0] ?? '', type: texts[1] ?? '' };
				}),
		);
	// A click that lands while the previous dropdown is still closing does not open it: click again (bounded).
	for (let attempt = 0; attempt < 5; attempt++) {
		await (await slotSelect(editor, index)).click();
		try {
			return await editor.until('the credential options', async () => {
				const choices = await read();
				return choices.length > 0 ? choices : undefined;
			}, 3_000);
		} catch {
			await Editor.sleep(500);
		}
	}
	throw new Error('the credential selector did not open (5 clicks)');
}

async function chooseCredential(editor: Editor, index: number, name: string, type: string): Promise<void> {
	const choices = await credentialChoices(editor, index);
	const position = choices.findIndex((choice) => choice.name === name && choice.type.startsWith(type));
	assert.ok(position >= 0, `no credential "${name}" (${type}) among ${JSON.stringify(choices)}`);
	const items = (await editor.visible('[data-test-id^=node-credentials-select-item-]')).filter((item) => !/Create new credential/i.test(item.text));
	await items[position].handle.click();
	await Editor.sleep(500);
}

/** Chooses entries of a multi-option parameter from its list. */
async function chooseMany(editor: Editor, parameter: string, names: string[]): Promise<void> {
	for (const name of names) {
		await editor.page.click(`[data-test-id=parameter-input-${parameter}]`);
		await editor.chooseOpenOption(name, parameter);
		await editor.press('Escape');
	}
}

const MERCHANT = { name: 'Cybersource account', type: 'Cybersource API' };
const WEBHOOK_KEYS = { name: 'Cybersource Webhook Keys account', type: 'Cybersource Webhook Keys API' };

/** The Cybersource Trigger from the nodes panel, its two credentials picked in its panel, activated. */
async function triggerSetup(editor: Editor, line: CliLine, servers: Servers, rest: RestSession): Promise<string> {
	const { sandbox } = servers;
	await addFromPanel(editor, 'On new Cybersource event');
	await editor.page.waitForSelector('[data-test-id=parameter-input-organizationId]', { visible: true });
	await editor.shot('trigger-added');
	const docs = await docsLinks(editor);
	assert.deepEqual(docs, [`${DOCUMENTATION}#the-cybersource-trigger`], `the trigger's Docs link: ${docs.join(', ')}`);
	const labels = await credentialLabels(editor);
	assert.deepEqual(labels, ['Webhook Signature Key', line.version.startsWith('1.') ? 'Credential to connect with' : 'Credential'], `credential selectors: ${labels.join(', ')}`);
	const keyChoices = await credentialChoices(editor, 0);
	await editor.shot('trigger-webhook-key-selector');
	await editor.press('Escape');
	assert.deepEqual(keyChoices.map((choice) => choice.type), keyChoices.map(() => WEBHOOK_KEYS.type), `the Webhook Signature Key selector lists ${JSON.stringify(keyChoices)}`);
	await chooseCredential(editor, 0, WEBHOOK_KEYS.name, WEBHOOK_KEYS.type);
	const apiChoices = await credentialChoices(editor, 1);
	await editor.shot('trigger-api-credential-selector');
	await editor.press('Escape');
	assert.ok(!apiChoices.some((choice) => choice.type.startsWith(WEBHOOK_KEYS.type)), `the API selector lists a webhook key: ${JSON.stringify(apiChoices)}`);
	await chooseCredential(editor, 1, MERCHANT.name, MERCHANT.type);
	await editor.fill('organizationId', sandbox.merchantId);
	const products = await editor.optionsOf('productId');
	assert.ok(products.includes('Decision Manager'), `products: ${products.join(', ')}`);
	await editor.pick('productId', 'Decision Manager');
	const events = await editor.optionsOf('eventTypes');
	assert.ok(events.includes('Case Management Decision Accept'), `event types by name: ${events.join(', ')}`);
	await chooseMany(editor, 'eventTypes', ['Case Management Decision Accept', 'Case Management Decision Reject']);
	await editor.shot('trigger-set-up');
	const issues = await editor.textOf('[data-test-id=node-parameters]');
	assert.ok(!/Credentials for Cybersource Trigger are not set/.test(issues), 'the trigger still says its credentials are not set');
	await editor.page.click('[data-test-id=ndv-close-button], [data-test-id=back-to-canvas]').catch(async () => await editor.press('Escape'));
	await Editor.sleep(500);
	await saveWorkflow(editor);
	const workflowId = editor.page.url().split('/workflow/')[1]?.split(/[/?]/)[0] ?? '';
	assert.ok(workflowId && workflowId !== 'new', `the workflow was not saved (${editor.page.url()})`);
	await activate(editor, line);
	const webhook = await editor.until('the subscription at Cybersource, ACTIVE', async () => sandbox.webhooks().find((entry) => entry.productId === 'decisionManager' && entry.status === 'ACTIVE'), 90_000);
	await editor.shot('trigger-activated');
	const delivered = await sandbox.deliver(webhook.webhookId, 'risk.casemanagement.decision.accept', [{ data: { id: 'editor-1', type: 'case' }, organizationId: sandbox.merchantId }]);
	assert.deepEqual(delivered.attempts.map((attempt) => attempt.status), [200], `delivery: ${JSON.stringify(delivered.attempts)}`);
	const runs = await editor.until('the execution, finished', async () => {
		const executions = await rest.executions(workflowId);
		return executions.some((execution) => execution.status === 'success') ? executions : undefined;
	});
	assert.equal(runs.length, 1, `${runs.length} executions for one notification`);
	return `selectors ${labels.join(' + ')}; subscribed ${webhook.webhookUrl} for ${webhook.eventTypes.join(', ')}; a signed notification ran the workflow (${runs[0].status})`;
}

/** Ctrl+S, as a user saves; n8n 2.x also saves by itself. */
async function saveWorkflow(editor: Editor): Promise<void> {
	await editor.page.keyboard.down('Control');
	await editor.page.keyboard.press('s');
	await editor.page.keyboard.up('Control');
	await editor.until('the saved workflow', async () => /\/workflow\/(?!new)[A-Za-z0-9]+/.test(editor.page.url()), 30_000);
	await Editor.sleep(1000);
}

/** The Active switch (n8n 1.x) or Publish (n8n 2.x). */
async function activate(editor: Editor, line: CliLine): Promise<void> {
	if (line.version.startsWith('1.')) {
		await editor.page.click('[data-test-id=workflow-activate-switch]');
	} else {
		await editor.page.click('[data-test-id=workflow-open-publish-modal-button]');
		await Editor.sleep(800);
		await editor.shot('publish-modal');
		// The modal's own Publish button (the header has one of the same name).
		const buttons = (await editor.visible('[role=dialog] button, .el-dialog button')).filter((button) => button.text === 'Publish');
		assert.ok(buttons.length > 0, 'no Publish button in the publish dialog');
		await buttons[buttons.length - 1].handle.click();
	}
	await Editor.sleep(1500);
	const dialogs = await editor.visible('.el-dialog, [role=dialog]');
	if (dialogs.length > 0) await editor.shot('activation-dialog');
	const gotIt = (await editor.visible('button')).find((button) => /^(Got it|OK)$/i.test(button.text));
	if (gotIt) await gotIt.handle.click();
}

/** A payment run from the editor: Authorize with the merchant key picked in the panel, Execute step. */
async function paymentFromEditor(editor: Editor, servers: Servers): Promise<string> {
	const { sandbox } = servers;
	const before = sandbox.stats().transactions;
	await addFromPanel(editor, 'Authorize a card payment');
	await chooseCredential(editor, 0, MERCHANT.name, MERCHANT.type);
	await editor.fill('amount', '12.34');
	await editor.fill('cardNumber', '4111111111111111');
	await editor.fill('expirationMonth', '12');
	await editor.fill('expirationYear', String(new Date().getUTCFullYear() + 3));
	await editor.fill('securityCode', '123');
	await editor.shot('payment-filled');
	await editor.page.click('[data-test-id=node-execute-button]');
	const output = await editor.until('the output', async () => {
		const text = await editor.textOf('[data-test-id=output-panel]');
		return /AUTHORIZED|error|problem/i.test(text) ? text : undefined;
	}, 60_000);
	await editor.shot('payment-output');
	assert.match(output, /AUTHORIZED/, output.slice(0, 500));
	assert.ok(!output.includes('4111111111111111'), 'the output shows the card number');
	assert.equal(sandbox.stats().transactions, before + 1, 'one payment at Cybersource');
	await editor.press('Escape');
	const canvas = await editor.until('the node on the canvas', async () => {
		const text = await editor.textOf('[data-test-id=canvas-node]');
		return text.includes('Authorize a card payment') ? text : undefined;
	});
	await editor.shot('payment-canvas');
	assert.match(canvas, /Payment: Authorize/, `the canvas subtitle: ${canvas}`);
	return 'Execute step: AUTHORIZED, one transaction at the sandbox, the card number not in the output; canvas subtitle "Payment: Authorize"';
}

/** A customer Token Management stores (seeded, as the shop stored it earlier), charged from the editor. */
const STORED_CUSTOMER = '5E7A0C3B9D1F4A6C8E2B0D4F6A8C1E3B';

async function storedCardPaymentFromEditor(editor: Editor, servers: Servers): Promise<string> {
	const { sandbox } = servers;
	sandbox.seedCustomer(STORED_CUSTOMER, { number: '5555555555554444', expirationMonth: '10', expirationYear: String(new Date().getUTCFullYear() + 2) });
	const before = sandbox.stats().transactions;
	await addFromPanel(editor, 'Authorize a card payment');
	await chooseCredential(editor, 0, MERCHANT.name, MERCHANT.type);
	await editor.fill('amount', '7.25');
	await editor.pick('paymentSource', 'Customer');
	const labels = await editor.parameterLabels('[data-test-id=node-parameters]');
	// A label may carry the Fixed / Expression toggle's text after it.
	const shown = (label: string) => labels.some((text) => text.split('\n')[0].trim() === label);
	assert.ok(shown('Customer ID') && !shown('Card Number'), `Payment Source Customer shows the customer, not the card: ${labels.join(' | ')}`);
	await editor.fill('customerId', STORED_CUSTOMER);
	await editor.shot('stored-card-payment-filled');
	await editor.page.click('[data-test-id=node-execute-button]');
	const output = await editor.until('the output', async () => {
		const text = await editor.textOf('[data-test-id=output-panel]');
		return /AUTHORIZED|error|problem/i.test(text) ? text : undefined;
	}, 60_000);
	await editor.shot('stored-card-payment-output');
	assert.match(output, /AUTHORIZED/, output.slice(0, 500));
	assert.equal(sandbox.stats().transactions, before + 1, 'one payment at Cybersource');
	const sent = sandbox.apiRequests().filter((request) => request.path === '/pts/v2/payments').at(-1);
	assert.deepEqual((JSON.parse(sent?.decryptedBody ?? sent?.body ?? '{}') as { paymentInformation?: unknown }).paymentInformation, { customer: { id: STORED_CUSTOMER } });
	await editor.press('Escape');
	return 'Payment Source "Customer" picked, Customer ID typed, Execute step: AUTHORIZED with the stored card, paymentInformation.customer.id sent';
}

async function runLine(line: CliLine, tarball: string, servers: Servers, browser: Browser, folder: string): Promise<void> {
	const n8n = new N8nInstance(line);
	let server: ChildProcess | undefined;
	const page = await browser.newPage();
	try {
		const installed = n8n.installPackage(tarball);
		assert.equal(installed.code, 0, `npm install failed: ${installed.stderr}`);
		const port = await freePort();
		servers.sandbox.routeWebhooks(PUBLIC_BASE, `http://127.0.0.1:${port}`);
		server = await n8n.start(port, 180_000, { WEBHOOK_URL: `${PUBLIC_BASE}/` });
		const rest = await RestSession.open(port); // the owner account, as n8n's setup page creates it; REST only reads executions back
		const editor = new Editor(page, `http://127.0.0.1:${port}`, folder, `n8n-${line.version}`);
		await editor.signIn(OWNER.email, OWNER.password);

		await check(line, 'nodes panel: "Cybersource" found once, with its trigger and actions', () => nodesPanel(editor));
		await check(line, 'the Cybersource node: every resource and operation opened; one Custom API Call per list, last', async () => {
			const surface = await everyOperation(editor);
			return `${surface.resources.join(', ')}; ${Object.values(surface.operations).flat().length} operation entries, ${surface.screens} screens`;
		});
		await check(line, 'each credential through its form: a bad one names what to fix, the good one tests as it should', () => credentialsThroughForms(editor, line, servers));
		await check(line, 'a payment from the editor: Authorize with the merchant key, Execute step', () => paymentFromEditor(editor, servers));
		await check(line, 'a stored customer charged from the editor: Payment Source "Customer", Execute step', () => storedCardPaymentFromEditor(editor, servers));
		await check(line, 'the Cybersource Trigger: both credentials picked in its panel, product and events from lists, activated, a notification runs it', () =>
			triggerSetup(editor, line, servers, rest),
		);
	} finally {
		await page.close().catch(() => undefined);
		if (server) await n8n.stop(server);
		await n8n.dispose();
	}
}

/** The screens the README shows, from the newest n8n line: `test:editor -- --readme-screenshots`. */
const README_SCREENSHOTS: Record<string, string> = {
	'nodes-panel-actions': 'nodes-panel.png',
	'payment-output': 'node-authorize.png',
	'trigger-set-up': 'trigger.png',
	'credential-cybersource-api-good': 'credential-merchant-key.png',
	'credential-cybersource-webhook-keys-api-bad': 'credential-webhook-keys.png',
	'credential-cybersource-oauth2-api-good': 'credential-partner-oauth2.png',
	'credential-oauth2-client-credentials-cybersource-package-api-bad': 'credential-client-credentials.png',
};

function copyReadmeScreenshots(folder: string): void {
	const target = join(__dirname, '..', '..', 'docs', 'screenshots');
	mkdirSync(target, { recursive: true });
	const files = readdirSync(folder).filter((file) => file.startsWith(`n8n-${CLI_LINES['2'].version}-`));
	for (const [step, name] of Object.entries(README_SCREENSHOTS)) {
		const file = files.find((candidate) => candidate.replace(/^n8n-[\d.]+-\d+-/, '').replace(/\.png$/, '') === step);
		if (file === undefined) throw new Error(`no screenshot of ${step} for the README`);
		copyFileSync(join(folder, file), join(target, name));
	}
	out(`README screenshots: docs/screenshots (${Object.keys(README_SCREENSHOTS).length})`);
}

async function main(): Promise<boolean> {
	const lineArg = process.argv.indexOf('--line');
	const which = lineArg >= 0 ? (process.argv[lineArg + 1] as '1' | '2') : undefined;
	const lines = which ? [CLI_LINES[which]] : [CLI_LINES['1'], CLI_LINES['2']];
	const started = Date.now();
	ensureChromium();
	installCli(which ?? 'all');
	const folder = mkdtempSync(join(tmpdir(), 'n8n-editor-screenshots-'));
	const tarball = packPackage();
	const [sandbox, { server: oidc, clients }] = await Promise.all([startCybersourceSandbox(), startStandardOidcServer()]);
	const browser = await launchBrowser();
	try {
		for (const line of lines) {
			sandbox.reset();
			await runLine(line, tarball, { sandbox, oidc, clients }, browser, folder);
		}
	} finally {
		await browser.close().catch(() => undefined);
		await Promise.all([sandbox.close(), oidc.stop()]);
	}
	if (process.argv.includes('--readme-screenshots')) copyReadmeScreenshots(folder);
	out(`screenshots: ${folder}`);
	return checks.summary(started);
}

runScript('test:editor', main);
