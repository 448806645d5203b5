import { describe, expect, it } from 'vitest';
import { XmlError, parseXml, parseXmlYielding } from '../../simulator/soap/xml.js';

/** A document of `n` items whose text runs hold entity references, long enough to span many slices. */
function bigDocument(n: number): string {
  const items = Array.from({ length: n }, (_, i) => `<item k="${i}">a&amp;b&lt;${i}&#x41;&#66;</item>`).join('');
  const longText = 'x&amp;y'.repeat(40_000); // one text run of 280,000 characters: cut into slices
  return `<root>${items}<long>${longText}</long></root>`;
}

describe('XML parser', () => {
  it('parses a large document a slice at a time into the same tree as in one go', async () => {
    const xml = bigDocument(20_000);
    const whole = parseXml(xml);
    const sliced = await parseXmlYielding(xml);
    expect(sliced).toEqual(whole);
    expect(sliced.children).toHaveLength(20_001);
    expect(sliced.children[7]!.text).toBe('a&b<7AB');
    expect(sliced.children[20_000]!.text).toBe('x&y'.repeat(40_000));
  });

  it('lets other work run between slices', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other'));
    const parsing = parseXmlYielding(bigDocument(20_000)).then(() => order.push('parsed'));
    await parsing;
    expect(order).toEqual(['other', 'parsed']);
  });

  it('refuses more elements than the limit, in one go and sliced', async () => {
    const xml = `<root>${'<a/>'.repeat(1001)}</root>`;
    expect(() => parseXml(xml, 100, 1000)).toThrow(new XmlError('More than 1000 elements'));
    expect(parseXml(xml, 100, 1002).children).toHaveLength(1001);
    await expect(parseXmlYielding(`<root>${'<a/>'.repeat(300_000)}</root>`, { maxElements: 1000 })).rejects.toThrow('More than 1000 elements');
  });

  it('refuses malformed documents the same way sliced', async () => {
    for (const bad of ['<a><b></a>', '<a>', 'text', '<a/><b/>', '<!DOCTYPE a><a/>']) {
      const padded = bad.replace(/^<a>/, `<a>${' '.repeat(100_000)}`);
      expect(() => parseXml(padded), bad).toThrow(XmlError);
      await expect(parseXmlYielding(padded), bad).rejects.toThrow(XmlError);
    }
  });
});
