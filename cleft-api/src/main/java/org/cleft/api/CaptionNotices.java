package org.cleft.api;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs what building class captions changed, each distinct notice once per process. */
final class CaptionNotices {
  private static final Logger LOG = LoggerFactory.getLogger(CaptionStyle.class);
  private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

  private CaptionNotices() {}

  static void log(CleftModel model, ClassCaptions captions) {
    Path dir = model.checkpoint();
    if (!model.captionStyleRecorded() && SAID.add("default:" + dir)) {
      LOG.info("{}", CaptionStyle.unrecordedNotice(dir));
    }
    for (String notice : captions.notices()) {
      if (SAID.add(dir + ":" + notice)) {
        LOG.warn("{}", notice);
      }
    }
  }
}
