import { PDFStream, type PDFContext, type PDFDict } from 'pdf-lib';

const streamStart = Buffer.from('\nstream\n', 'latin1');
const streamEnd = Buffer.from('\nendstream', 'latin1');

/**
 * A PDF stream of bytes stored as given (deflated already), as pdf-lib's PDFRawStream, but
 * written into the file with one copy where PDFRawStream copies byte by byte: for the font
 * subsets of a one-page contract that loop was a tenth of its CPU.
 */
export class PDFBytesStream extends PDFStream {
  constructor(
    dict: PDFDict,
    readonly contents: Uint8Array,
  ) {
    super(dict);
  }

  override clone(context?: PDFContext): PDFBytesStream {
    return new PDFBytesStream(this.dict.clone(context), this.contents.slice());
  }

  override getContentsString(): string {
    return Buffer.from(this.contents.buffer, this.contents.byteOffset, this.contents.byteLength).toString('latin1');
  }

  override getContents(): Uint8Array {
    return this.contents;
  }

  override getContentsSize(): number {
    return this.contents.byteLength;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.updateDict();
    const start = offset;
    offset += this.dict.copyBytesInto(buffer, offset);
    buffer.set(streamStart, offset);
    offset += streamStart.byteLength;
    buffer.set(this.contents, offset);
    offset += this.contents.byteLength;
    buffer.set(streamEnd, offset);
    return offset + streamEnd.byteLength - start;
  }
}
