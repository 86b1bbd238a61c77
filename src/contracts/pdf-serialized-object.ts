import { PDFObject, type PDFContext } from 'pdf-lib';

/**
 * A PDF object (a dictionary, or a whole stream with its dictionary) as bytes serialised once,
 * written into each file with one copy. For what every contract of a group writes the same: the
 * font objects of a subset. The bytes name other objects by number, so they belong to one
 * numbering (see embed-font-face.ts).
 */
export class PDFSerializedObject extends PDFObject {
  constructor(readonly bytes: Uint8Array) {
    super();
  }

  /** The bytes pdf-lib writes for `object`. */
  static of(object: PDFObject): PDFSerializedObject {
    const bytes = new Uint8Array(object.sizeInBytes());
    object.copyBytesInto(bytes, 0);
    return new PDFSerializedObject(bytes);
  }

  override clone(_context?: PDFContext): PDFSerializedObject {
    return new PDFSerializedObject(this.bytes);
  }

  override toString(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('latin1');
  }

  override sizeInBytes(): number {
    return this.bytes.byteLength;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    buffer.set(this.bytes, offset);
    return this.bytes.byteLength;
  }
}
