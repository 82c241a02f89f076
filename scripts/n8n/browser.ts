/**
 * n8n's web editor in a real browser: Debian's Chromium driven by puppeteer-core, doing what a
 * user does (clicks, typing, pasting) and reading what the screen shows. Every step can keep a
 * screenshot. Works with the editors of n8n 1.123.81 and 2.40.7; where they differ, the
 * difference is named where it is handled.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

import { aptInstall } from '../lib/debian';

/** Debian's chromium; CHROMIUM_PATH names another Chromium-based browser (e.g. on GitHub's runners). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's chromium, installed when missing (CI runs as root; a session may need sudo). */
export function ensureChromium(): void {
	if (existsSync(CHROMIUM)) return;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH names ${CHROMIUM}, which does not exist`);
	aptInstall(['chromium']);
	if (!existsSync(CHROMIUM)) throw new Error(`Debian's chromium was installed, but ${CHROMIUM} does not exist`);
}

/**
 * Chromium headless, with no network of its own: background networking, component updates and
 * sync are off, so the only addresses it opens are the pages it is sent to (127.0.0.1).
 */
export async function launchBrowser(): Promise<Browser> {
	return await puppeteer.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-quic',
			'--no-first-run',
			'--window-size=1600,1000',
		],
		defaultViewport: { width: 1600, height: 1000 },
		protocolTimeout: 120_000,
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One browser tab on one n8n, with the steps a user takes. */
export class Editor {
	private shots = 0;
	readonly screenshots: string[] = [];

	constructor(
		readonly page: Page,
		readonly base: string,
		private readonly folder: string,
		private readonly prefix: string,
	) {
		page.setDefaultTimeout(30_000);
		// "Leave the page? Your changes are not saved": a user who opens another workflow says yes.
		page.on('dialog', (dialog) => void dialog.accept().catch(() => undefined));
	}

	/** A screenshot of the whole window, numbered in the order taken. */
	async shot(name: string): Promise<string> {
		this.shots++;
		const file = join(this.folder, `${this.prefix}-${String(this.shots).padStart(3, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
		await this.page.screenshot({ path: file as `${string}.png` });
		this.screenshots.push(file);
		return file;
	}

	async goto(path: string): Promise<void> {
		await this.page.goto(`${this.base}${path}`, { waitUntil: 'networkidle2', timeout: 90_000 });
	}

	/** The sign-in form, as the owner. */
	async signIn(email: string, password: string): Promise<void> {
		await this.goto('/signin');
		await this.page.waitForSelector('input[name=emailOrLdapLoginId], input[type=email]', { visible: true });
		await this.page.type('input[name=emailOrLdapLoginId], input[type=email]', email);
		await this.page.type('input[type=password]', password);
		await this.page.click('[data-test-id=form-submit-button]');
		await this.page.waitForFunction(() => !location.pathname.startsWith('/signin'), { timeout: 60_000 });
	}

	/** Waits (bounded) until `probe` gives a value. */
	async until<T>(what: string, probe: () => Promise<T | undefined | null | false>, limitMs = 30_000): Promise<T> {
		const deadline = Date.now() + limitMs;
		for (;;) {
			const value = await probe();
			if (value !== undefined && value !== null && value !== false) return value;
			if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${limitMs / 1000} s`);
			await sleep(200);
		}
	}

	/** Visible elements matching `selector`, with their trimmed text. */
	async visible(selector: string): Promise<Array<{ handle: ElementHandle; text: string }>> {
		const handles = await this.page.$$(selector);
		const result: Array<{ handle: ElementHandle; text: string }> = [];
		for (const handle of handles) {
			const text = await handle.evaluate((element) => ((element as HTMLElement).offsetParent === null ? undefined : (element as HTMLElement).innerText.trim()));
			if (text !== undefined) result.push({ handle, text });
		}
		return result;
	}

	/** Clicks the visible element matching `selector` whose text is `text` (or matches it). */
	async clickText(selector: string, text: string | RegExp, limitMs = 30_000): Promise<void> {
		const matches = (candidate: string) => (typeof text === 'string' ? candidate === text : text.test(candidate));
		const found = await this.until(`"${String(text)}" in ${selector}`, async () => (await this.visible(selector)).find((entry) => matches(entry.text)), limitMs);
		await found.handle.click();
	}

	async textOf(selector: string): Promise<string> {
		return (await this.visible(selector)).map((entry) => entry.text).join('\n');
	}

	/** The headlines of the options of the open dropdown (the name, without the description). */
	async openOptions(): Promise<string[]> {
		await sleep(300);
		return await this.page.$$eval('.el-select-dropdown__item', (items) =>
			items
				.filter((item) => (item as HTMLElement).offsetParent !== null)
				.map((item) => ((item.querySelector('.option-headline') ?? item.querySelector('span') ?? item) as HTMLElement).innerText.trim()),
		);
	}

	/** Opens a node or credential parameter's dropdown and reads its options; closes it again. */
	async optionsOf(parameter: string): Promise<string[]> {
		await this.page.click(`[data-test-id=parameter-input-${parameter}]`);
		const options = await this.until(`the options of ${parameter}`, async () => {
			const read = await this.openOptions();
			return read.length > 0 ? read : undefined;
		});
		await this.page.keyboard.press('Escape');
		await sleep(200);
		return options;
	}

	/** Chooses `name` in a parameter's dropdown, and checks that the field shows it (bounded retries). */
	async pick(parameter: string, name: string): Promise<void> {
		// The chosen label is the input's value (n8n 1.x) or a text beside it (n8n 2.x).
		const shown = async () =>
			await this.page
				.$eval(`[data-test-id=parameter-input-${parameter}]`, (field) => {
					const input = field.querySelector('input') as HTMLInputElement | null;
					if (input?.value) return input.value;
					return (field as HTMLElement).innerText.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
				})
				.catch(() => undefined);
		for (let attempt = 0; attempt < 3; attempt++) {
			await this.page.click(`[data-test-id=parameter-input-${parameter}]`);
			await this.chooseOpenOption(name, parameter);
			// A click can land on the neighbouring option while the list still moves: then the field
			// shows another choice. (While the panel re-renders it may show nothing yet: that passes.)
			await sleep(300);
			const now = await shown();
			if (now === name || now === '' || now === undefined) return;
			process.stderr.write(`(pick ${parameter}: chose "${name}", the field shows "${String(await shown())}"; again)\n`);
			await this.page.keyboard.press('Escape');
			await sleep(500);
		}
		throw new Error(`${parameter} does not show "${name}" after choosing it (it shows "${String(await shown())}")`);
	}

	/**
	 * Clicks the option named `name` in the open dropdown once it stands still: the list scrolls to
	 * the chosen entry as it opens, and a click during that lands on a neighbour. A click on an
	 * option that vanished or moved is tried again (bounded by the wait).
	 */
	async chooseOpenOption(name: string, what: string): Promise<void> {
		await this.until(`option "${name}" of ${what}`, async () => {
			const items = await this.visible('.el-select-dropdown__item');
			for (const item of items) {
				const headline = await item.handle
					.evaluate((element) => ((element.querySelector('.option-headline') ?? element.querySelector('span') ?? element) as HTMLElement).innerText.trim())
					.catch(() => undefined);
				if (headline !== name) continue;
				const first = await item.handle.boundingBox().catch(() => null);
				await sleep(150);
				const second = await item.handle.boundingBox().catch(() => null);
				if (first === null || second === null || first.y !== second.y) return undefined;
				try {
					await item.handle.click();
					return true;
				} catch {
					return undefined;
				}
			}
			return undefined;
		});
		await sleep(300);
	}

	/**
	 * Types into a parameter the way a paste does (one input event with the whole text): a PEM
	 * pasted into n8n's one-line masked inputs loses its line breaks, as it does for a user.
	 */
	async fill(parameter: string, text: string): Promise<void> {
		const selector = `[data-test-id=parameter-input-${parameter}] input, [data-test-id=parameter-input-${parameter}] textarea, [data-test-id=parameter-input-${parameter}] .cm-content`;
		await this.page.waitForSelector(selector, { visible: true });
		await this.page.click(selector);
		await this.page.evaluate(
			(css, value) => {
				const element = document.querySelector(css) as HTMLInputElement | HTMLElement;
				element.focus();
				if ('select' in element && typeof element.select === 'function') element.select();
				else document.execCommand('selectAll');
				document.execCommand('insertText', false, value);
			},
			selector,
			text,
		);
		await sleep(150);
	}

	/** The labels of the parameters the node or credential panel shows now. */
	async parameterLabels(scope = 'body'): Promise<string[]> {
		return await this.page.$$eval(`${scope} [data-test-id=parameter-item] label, ${scope} [data-test-id=parameter-item] .n8n-input-label`, (labels) => [
			...new Set(labels.filter((label) => (label as HTMLElement).offsetParent !== null).map((label) => (label as HTMLElement).innerText.replace(/\*$/, '').trim()).filter((text) => text !== '')),
		]);
	}

	async press(key: 'Escape' | 'Enter'): Promise<void> {
		await this.page.keyboard.press(key);
		await sleep(250);
	}

	static sleep = sleep;
}
