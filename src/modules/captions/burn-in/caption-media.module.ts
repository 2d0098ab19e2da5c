import { Module } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { MediaModule } from '../../media/media.module';
import { SilenceSpeechSegmenter, SpeechSegmenter } from '../speech/speech-segments';
import { speechToTextFromConfig, SpeechToText } from '../speech/speech-to-text';
import { AssCaptionBurner, CaptionBurner } from './caption-burner';

/**
 * The media work behind captions: burning them into video, a preview frame, proposed cue timings from
 * the audio, and speech to text. Inject the ports (`CaptionBurner`, `SpeechSegmenter`, `SpeechToText`).
 *
 * Speech to text is the engine SPEECH_ENGINE names, `none` by default: no speech model ships with the
 * app. With whisper.cpp, a missing binary or model stops the worker at start-up, not at the first job.
 */
@Module({
  imports: [MediaModule],
  providers: [
    { provide: CaptionBurner, useClass: AssCaptionBurner },
    { provide: SpeechSegmenter, useClass: SilenceSpeechSegmenter },
    { provide: SpeechToText, inject: [APP_CONFIG], useFactory: (config: AppConfig) => speechToTextFromConfig(config.speech) },
  ],
  exports: [CaptionBurner, SpeechSegmenter, SpeechToText],
})
export class CaptionMediaModule {}
