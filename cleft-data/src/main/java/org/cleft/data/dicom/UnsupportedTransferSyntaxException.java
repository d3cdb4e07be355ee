package org.cleft.data.dicom;

import java.nio.file.Path;

/** A DICOM file whose transfer syntax this reader does not decode; names the UID, its name and the file. */
public class UnsupportedTransferSyntaxException extends UnsupportedOperationException {
  private static final long serialVersionUID = 1L;

  /** The refused transfer syntax UID. */
  private final String transferSyntaxUid;

  /**
   * Creates the exception.
   *
   * @param file the file being read
   * @param transferSyntaxUid the transfer syntax UID found in the file
   */
  public UnsupportedTransferSyntaxException(Path file, String transferSyntaxUid) {
    super(file + ": unsupported transfer syntax " + transferSyntaxUid + " ("
        + TransferSyntax.nameOf(transferSyntaxUid) + ")" + TransferSyntax.whyNot(transferSyntaxUid)
        + "; supported: " + TransferSyntax.supportedList());
    this.transferSyntaxUid = transferSyntaxUid;
  }

  /**
   * Creates the exception for a syntax that is supported in general but not in this variant.
   *
   * @param file the file being read
   * @param transferSyntaxUid the transfer syntax UID found in the file
   * @param detail what of it cannot be decoded, why, and the workaround
   */
  public UnsupportedTransferSyntaxException(Path file, String transferSyntaxUid, String detail) {
    super(file + ": " + TransferSyntax.nameOf(transferSyntaxUid) + " (" + transferSyntaxUid + "): " + detail);
    this.transferSyntaxUid = transferSyntaxUid;
  }

  /**
   * The UID of the transfer syntax that was refused.
   *
   * @return the UID as found in the file
   */
  public String transferSyntaxUid() {
    return transferSyntaxUid;
  }
}
