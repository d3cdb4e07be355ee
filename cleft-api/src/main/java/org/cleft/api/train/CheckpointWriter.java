package org.cleft.api.train;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.cleft.api.RunFolder;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;

/**
 * Writes a checkpoint directory atomically: everything goes to a hidden sibling folder first, which
 * is renamed to the final name only when complete, so a crash never leaves a half-written checkpoint
 * under a checkpoint's name. Towers that did not train are hard-linked from the base (copied when the
 * file system cannot link), so a checkpoint stays self-contained without doubling the disk use.
 */
public final class CheckpointWriter {
  private final Path target;
  private final Path tmp;

  private CheckpointWriter(Path target) throws IOException {
    this.target = target.toAbsolutePath().normalize();
    Files.createDirectories(this.target.getParent());
    this.tmp = this.target.getParent().resolve("." + this.target.getFileName() + ".partial");
    RunFolder.deleteTree(tmp);
    Files.createDirectories(tmp);
  }

  /**
   * Starts writing the checkpoint that will be named {@code target}.
   *
   * @param target the checkpoint folder to create (or replace, on commit)
   * @return the writer
   * @throws IOException when the hidden work folder cannot be created
   */
  public static CheckpointWriter begin(Path target) throws IOException {
    return new CheckpointWriter(target);
  }

  /**
   * {@return a folder inside the checkpoint being written, created}
   *
   * @param name its name
   * @throws IOException when it cannot be created
   */
  public Path folder(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name));
  }

  /**
   * Links (or copies) every file of {@code source} into the checkpoint folder {@code name}.
   *
   * @param source the folder whose files are linked
   * @param name the folder in the checkpoint
   * @throws IOException when a file cannot be linked or copied
   */
  public void linkFolder(Path source, String name) throws IOException {
    Path dst = folder(name);
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        link(f, dst.resolve(f.getFileName().toString()));
      }
    }
  }

  /**
   * Links (or copies) one file into the checkpoint as {@code relative}.
   *
   * @param source the file
   * @param relative its path in the checkpoint
   * @throws IOException when it cannot be linked or copied
   */
  public void linkFile(Path source, String relative) throws IOException {
    Path dst = tmp.resolve(relative);
    Files.createDirectories(dst.getParent());
    link(source, dst);
  }

  /**
   * Writes {@code name} with the base folder's files other than its weights, plus new weights in
   * {@code weightsFile}.
   *
   * @param base the model folder the new one is based on (config, tokenizer)
   * @param name the folder in the checkpoint
   * @param weights the new weights
   * @param weightsFile their file name, e.g. {@code model.safetensors}
   * @throws IOException when a file cannot be written
   */
  public void writeModelFolder(Path base, String name, Map<String, Tensor> weights, String weightsFile) throws IOException {
    Path dst = folder(name);
    try (Stream<Path> files = Files.list(base)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String n = f.getFileName().toString();
        boolean isWeights = n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json") || n.endsWith(".bin");
        if (!isWeights) {
          link(f, dst.resolve(n));
        }
      }
    }
    SafetensorsWriter.write(dst.resolve(weightsFile), weights, Map.of("format", "pt"));
  }

  /**
   * Writes a safetensors file at {@code relative} inside the checkpoint.
   *
   * @param relative the path in the checkpoint
   * @param tensors the tensors
   * @param metadata the header metadata
   * @throws IOException when it cannot be written
   */
  public void writeTensors(String relative, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    Path file = tmp.resolve(relative);
    Files.createDirectories(file.getParent());
    SafetensorsWriter.write(file, tensors, metadata);
  }

  /**
   * Writes a text file at {@code relative} inside the checkpoint.
   *
   * @param relative the path in the checkpoint
   * @param content the text
   * @throws IOException when it cannot be written
   */
  public void writeString(String relative, String content) throws IOException {
    Path file = tmp.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /**
   * Writes {@code cleft.json}.
   *
   * @param manifest the manifest
   * @throws IOException when it cannot be written
   */
  public void writeManifest(CleftManifest manifest) throws IOException {
    manifest.write(tmp.resolve("cleft.json"));
  }

  /**
   * Renames the finished folder to its final name, replacing an older checkpoint of that name.
   *
   * @return the checkpoint folder
   * @throws IOException when the folder cannot be renamed
   */
  public Path commit() throws IOException {
    if (Files.exists(target)) {
      Path old = target.getParent().resolve("." + target.getFileName() + ".old");
      RunFolder.deleteTree(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      move(tmp, target);
      RunFolder.deleteTree(old);
    } else {
      move(tmp, target);
    }
    return target;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void link(Path src, Path dst) throws IOException {
    Path real = src.toRealPath();
    try {
      Files.createLink(dst, real);
    } catch (UnsupportedOperationException | IOException e) {
      if (e instanceof FileAlreadyExistsException) {
        throw (IOException) e;
      }
      Files.copy(real, dst);
    }
  }

}
