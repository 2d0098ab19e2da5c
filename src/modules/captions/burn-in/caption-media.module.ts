import { Module } from '@nestjs/common';
import { MediaModule } from '../../media/media.module';
import { SilenceSpeechSegmenter, SpeechSegmenter } from '../speech/speech-segments';
import { NoSpeechToText, SpeechToText } from '../speech/speech-to-text';
import { AssCaptionBurner, CaptionBurner } from './caption-burner';

/**
 * The media work behind captions: burning them into video, a preview frame, proposed cue timings from
 * the audio, and speech to text. Inject the ports (`CaptionBurner`, `SpeechSegmenter`, `SpeechToText`).
 *
 * Speech to text is `NoSpeechToText` until the operator configures an engine: no speech model ships
 * with the app. A deployment with whisper.cpp provides `SpeechToText` with
 * `new WhisperCppSpeechToText(binaryPath, modelPath)` once the config carries those paths.
 */
@Module({
  imports: [MediaModule],
  providers: [
    { provide: CaptionBurner, useClass: AssCaptionBurner },
    { provide: SpeechSegmenter, useClass: SilenceSpeechSegmenter },
    { provide: SpeechToText, useClass: NoSpeechToText },
  ],
  exports: [CaptionBurner, SpeechSegmenter, SpeechToText],
})
export class CaptionMediaModule {}
