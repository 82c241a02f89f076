/**
 * PEM text as users paste it: with `\n` escapes (from JSON or environment variables), Windows
 * line ends, on one line with spaces, or indented. Each block is rebuilt in the canonical form
 * (64-character lines) so that every variant of the same key reads the same.
 */
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export interface PemBlock {
	label: string;
	/** Header lines such as `Proc-Type: 4,ENCRYPTED` (legacy OpenSSL encryption). */
	headers: string[];
	pem: string;
}

export function normalizePemText(text: string): string {
	return text.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n').trim();
}

export function pemBlocks(text: string): PemBlock[] {
	const blocks: PemBlock[] = [];
	for (const match of normalizePemText(text).matchAll(BLOCK)) {
		const label = match[1];
		const lines = match[2].split('\n').map((line) => line.trim());
		const headers = lines.filter((line) => /^[A-Za-z-]+:/.test(line));
		const body = lines.filter((line) => !/^[A-Za-z-]+:/.test(line)).join('').replace(/\s+/g, '');
		const wrapped = body.match(/.{1,64}/g) ?? [];
		const head = headers.length > 0 ? `${headers.join('\n')}\n\n` : '';
		blocks.push({ label, headers, pem: `-----BEGIN ${label}-----\n${head}${wrapped.join('\n')}\n-----END ${label}-----\n` });
	}
	return blocks;
}
